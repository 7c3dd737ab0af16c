import { GRAINS, type Grain, type ViewDefinition } from '../definition/view-definition';

const START_OF: Record<Grain, string> = {
  minute: 'toStartOfMinute',
  hour: 'toStartOfHour',
  day: 'toStartOfDay',
};

/** The start of `expression`'s bucket at `grain`, in UTC, as DateTime('UTC'). */
export function bucketSql(grain: Grain, expression: string): string {
  return `${START_OF[grain]}(${expression}, 'UTC')`;
}

/** The finest grain of a view: what its real-time table keeps, coarser grains roll up from it. */
export function finestGrain(view: ViewDefinition): Grain {
  const finest = GRAINS.find((grain) => view.grains.includes(grain));
  if (finest === undefined) throw new Error(`view '${view.name}' declares no grain`);
  return finest;
}

/** Refuses a grain the view does not declare. */
export function assertGrain(view: ViewDefinition, grain: Grain): void {
  if (!view.grains.includes(grain)) {
    throw new Error(
      `view '${view.name}' is not declared at grain '${String(grain)}' (it has ${view.grains.join(', ')})`,
    );
  }
}
