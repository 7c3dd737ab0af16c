import ts from 'typescript';
import { describe } from './kustomize';
import { REPO_ROOT } from './repo';
import type { Json } from './yaml-files';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** `apps/v1` + `Deployment` → the kubernetes-models module path for it. */
function modelPath(resource: Json): string {
  return `kubernetes-models/${String(resource.apiVersion)}/${String(resource.kind)}`;
}

/**
 * Validates a resource against the JSON schema of its kind from the Kubernetes OpenAPI
 * definitions, as compiled into validators by the npm package kubernetes-models (types, required
 * fields, formats and enums). Returns the problems, empty when valid.
 */
export function validateWithOpenApiSchema(resource: Json): string[] {
  let module: Record<string, unknown>;
  try {
    module = require(modelPath(resource)) as Record<string, unknown>;
  } catch {
    return [
      `${describe(resource)}: no schema for ${String(resource.apiVersion)} ${String(resource.kind)}`,
    ];
  }
  const Model = module[String(resource.kind)] as ModelClass | undefined;
  if (!Model) return [`${describe(resource)}: kubernetes-models has no ${String(resource.kind)}`];
  try {
    new Model(resource).validate();
    return [];
  } catch (error) {
    return [`${describe(resource)}: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/**
 * Kubernetes' schemas allow unknown fields (the API server drops them, or refuses them with
 * strict field validation), so a misspelt `livenessProbe` would pass the schema check. This
 * compiles every resource as a TypeScript object literal typed with kubernetes-models'
 * declarations of the same schemas: excess-property checks then reject every field the API does
 * not define, at any depth, and types are checked once more. Returns one line per problem.
 */
export function typecheckResources(resources: readonly Json[]): string[] {
  const fileName = `${REPO_ROOT}/libs/deploy-checks/__k8s_resources__.ts`;
  const lines = resources.map((resource, index) => {
    const type = `I${String(resource.kind)}`;
    return `import type { ${type} as T${index} } from '${modelPath(resource)}'; export const r${index}: T${index} = ${JSON.stringify(resource)};`;
  });
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version, onError, create) =>
    name === fileName
      ? ts.createSourceFile(name, text, version, true)
      : getSourceFile(name, version, onError, create);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  const source = program.getSourceFile(fileName);
  if (!source) throw new Error('The generated file was not compiled');
  return ts.getPreEmitDiagnostics(program, source).map((diagnostic) => {
    const line =
      diagnostic.start === undefined
        ? -1
        : source.getLineAndCharacterOfPosition(diagnostic.start).line;
    const resource = resources[line];
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    return `${resource ? describe(resource) : 'generated file'}: ${message}`;
  });
}
