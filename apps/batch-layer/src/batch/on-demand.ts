/** One view's result of a run on request (`POST /v1/batch/runs`), in the API's snake_case. */
export type OnDemandRun =
  | {
      view: string;
      status: 'published' | 'blocked';
      run_id: string;
      cut: string;
      output_rows: number | null;
    }
  | { view: string; status: 'nothing_to_do'; reason: string };

/** A refused run request, with the HTTP status the controller answers. */
export class OnDemandError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'OnDemandError';
  }
}
