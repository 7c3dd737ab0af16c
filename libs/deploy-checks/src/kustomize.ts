import { repoFileExists, resolveRelative } from './repo';
import { isRecord, type Json, list, loadYaml, loadYamlDocuments, record } from './yaml-files';

/**
 * A small kustomize: enough to render infra/k8s without the kustomize binary, which does not run
 * here. It supports exactly the fields below and refuses any other, so a kustomization can never
 * use something this renderer would silently ignore:
 * - `resources`: files (one or more documents) and folders holding a kustomization.yaml;
 * - `namespace`: set on every namespaced resource;
 * - `labels`: `pairs` added to metadata.labels, and to pod templates with `includeTemplates`
 *   (`includeSelectors` must be false: selectors stay as written);
 * - `images`: `name` → `newName` / `newTag` on every container image of that name;
 * - `replicas`: `name` / `count` on Deployments;
 * - `patches`: `path` to a strategic-merge patch (one document, no `target`), matched by
 *   apiVersion, kind and name. Maps merge; lists of objects that all have a `name` merge by
 *   name (containers, env, volumes, ports); other lists are replaced.
 */
export const SUPPORTED_KUSTOMIZATION_FIELDS = [
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'labels',
  'images',
  'replicas',
  'patches',
];

/** Kinds that live outside namespaces (the ones infra/k8s could contain). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

export interface Rendered {
  resources: Json[];
  /** Every file the kustomization read, for existence and coverage checks. */
  files: string[];
}

export function renderKustomization(dir: string): Rendered {
  const path = `${dir}/kustomization.yaml`;
  if (!repoFileExists(path)) throw new Error(`${path} does not exist`);
  const kustomization = record(loadYaml(path));
  const unsupported = Object.keys(kustomization).filter(
    (field) => !SUPPORTED_KUSTOMIZATION_FIELDS.includes(field),
  );
  if (unsupported.length > 0) {
    throw new Error(`${path}: fields this renderer does not support: ${unsupported.join(', ')}`);
  }
  if (kustomization.kind !== 'Kustomization') throw new Error(`${path}: kind is not Kustomization`);

  const files = [path];
  let resources: Json[] = [];
  for (const entry of list(kustomization.resources)) {
    const target = resolveRelative(path, String(entry));
    if (repoFileExists(`${target}/kustomization.yaml`)) {
      const nested = renderKustomization(target);
      resources.push(...nested.resources);
      files.push(...nested.files);
    } else if (repoFileExists(target)) {
      files.push(target);
      resources.push(...loadYamlDocuments(target).map((doc) => asResource(doc, target)));
    } else {
      throw new Error(`${path}: resource ${String(entry)} does not exist`);
    }
  }

  for (const entry of list(kustomization.patches)) {
    const patch = record(entry);
    const extra = Object.keys(patch).filter((key) => key !== 'path');
    if (extra.length > 0)
      throw new Error(`${path}: patch fields not supported: ${extra.join(', ')}`);
    const patchPath = resolveRelative(path, String(patch.path));
    if (!repoFileExists(patchPath))
      throw new Error(`${path}: patch ${String(patch.path)} does not exist`);
    files.push(patchPath);
    const docs = loadYamlDocuments(patchPath);
    if (docs.length !== 1) throw new Error(`${patchPath}: a patch file holds exactly one document`);
    const patchDoc = asResource(docs[0], patchPath);
    const index = resources.findIndex((resource) => sameObject(resource, patchDoc));
    if (index < 0)
      throw new Error(`${patchPath}: patches ${describe(patchDoc)}, which is not rendered`);
    resources[index] = mergePatch(resources[index], patchDoc) as Json;
  }

  for (const entry of list(kustomization.replicas)) {
    const { name, count } = record(entry);
    const target = resources.find(
      (r) => r.kind === 'Deployment' && record(r.metadata).name === name,
    );
    if (!target) throw new Error(`${path}: replicas for unknown Deployment ${String(name)}`);
    record(target.spec).replicas = count;
  }

  for (const entry of list(kustomization.images)) {
    const image = record(entry);
    resources = resources.map((resource) => setImages(resource, image));
  }

  for (const entry of list(kustomization.labels)) {
    const labels = record(entry);
    if (labels.includeSelectors !== false) {
      throw new Error(`${path}: labels need includeSelectors: false (selectors are immutable)`);
    }
    const pairs = record(labels.pairs);
    for (const resource of resources) {
      addLabels(resource, pairs);
      if (labels.includeTemplates === true) {
        const template = record(record(resource.spec).template);
        if (isRecord(record(resource.spec).template)) addLabels(template, pairs);
      }
    }
  }

  if (typeof kustomization.namespace === 'string') {
    for (const resource of resources) {
      if (CLUSTER_SCOPED.has(String(resource.kind))) continue;
      const metadata = record(resource.metadata);
      metadata.namespace = kustomization.namespace;
      resource.metadata = metadata;
    }
  }

  return { resources, files };
}

function asResource(doc: unknown, file: string): Json {
  if (!isRecord(doc) || typeof doc.kind !== 'string' || typeof doc.apiVersion !== 'string') {
    throw new Error(`${file}: every document needs apiVersion and kind`);
  }
  if (typeof record(doc.metadata).name !== 'string')
    throw new Error(`${file}: ${doc.kind} without a name`);
  return structuredClone(doc);
}

export function describe(resource: Json): string {
  return `${String(resource.kind)}/${String(record(resource.metadata).name)}`;
}

function sameObject(a: Json, b: Json): boolean {
  return (
    a.apiVersion === b.apiVersion &&
    a.kind === b.kind &&
    record(a.metadata).name === record(b.metadata).name
  );
}

/** Strategic merge, reduced to what the patches here need (see the module comment). */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (isRecord(base) && isRecord(patch)) {
    const merged: Json = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      merged[key] = key in base ? mergePatch(base[key], value) : structuredClone(value);
    }
    return merged;
  }
  if (Array.isArray(base) && Array.isArray(patch) && byName(base) && byName(patch)) {
    const merged = base.map((item) => structuredClone(item) as Json);
    for (const item of patch as Json[]) {
      const index = merged.findIndex((existing) => existing.name === item.name);
      if (index >= 0) merged[index] = mergePatch(merged[index], item) as Json;
      else merged.push(structuredClone(item));
    }
    return merged;
  }
  return structuredClone(patch);
}

function byName(items: unknown[]): boolean {
  return items.length > 0 && items.every((item) => isRecord(item) && typeof item.name === 'string');
}

function setImages(resource: Json, image: Json): Json {
  const spec = record(record(record(resource.spec).template).spec);
  for (const container of [...list(spec.containers), ...list(spec.initContainers)]) {
    const c = record(container);
    const current = String(c.image ?? '');
    const name = current.replace(/[:@].*$/, '');
    if (name !== image.name) continue;
    const newName = typeof image.newName === 'string' ? image.newName : name;
    const newTag = typeof image.newTag === 'string' ? image.newTag : undefined;
    c.image = newTag ? `${newName}:${newTag}` : newName;
  }
  return resource;
}

function addLabels(target: Json, pairs: Json): void {
  const metadata = record(target.metadata);
  metadata.labels = { ...record(metadata.labels), ...pairs };
  target.metadata = metadata;
}
