"""Reads an Apache Iceberg table folder with PyIceberg — a reader other than ClickHouse — and
prints a JSON summary, so tests (and people) can check that the lake's tables are valid Iceberg.

usage: iceberg-read.py <table folder> [--snapshot-id ID] [--sum COLUMN]... [--distinct COLUMN]...
                       [--rows COLUMN,COLUMN...]

`--rows` adds the table's rows (those columns, every value as text, timestamps in UTC as
`YYYY-MM-DD hh:mm:ss.ffffff`), sorted, so a caller can compare them with another reader's.
"""
import argparse
import datetime
import json
import os
import re
import sys

import pyarrow.compute as pc
from pyiceberg.table import StaticTable


def latest_metadata(folder: str) -> str:
    metadata = os.path.join(folder, "metadata")
    versions = []
    for name in os.listdir(metadata):
        match = re.fullmatch(r"v(\d+)\.metadata\.json", name)
        if match:
            versions.append((int(match.group(1)), name))
    if not versions:
        sys.exit(f"{folder}: no vN.metadata.json under metadata/ — not an Iceberg table folder")
    return os.path.join(metadata, max(versions)[1])


def text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("table")
    parser.add_argument("--snapshot-id", type=int)
    parser.add_argument("--sum", action="append", default=[])
    parser.add_argument("--distinct", action="append", default=[])
    parser.add_argument("--rows")
    args = parser.parse_args()

    table = StaticTable.from_metadata(os.path.abspath(latest_metadata(args.table)))
    scan = table.scan(snapshot_id=args.snapshot_id) if args.snapshot_id else table.scan()
    data = scan.to_arrow()
    snapshot = table.current_snapshot()
    summary = {
        "format_version": table.metadata.format_version,
        "current_snapshot_id": str(snapshot.snapshot_id) if snapshot else None,
        "snapshots": len(table.metadata.snapshots),
        "partition_spec": str(table.spec()),
        "columns": [field.name for field in table.schema().fields],
        "rows": data.num_rows,
        "sum": {c: pc.sum(data.column(c)).as_py() for c in args.sum},
        "distinct": {c: len(pc.unique(data.column(c))) for c in args.distinct},
    }
    if args.rows:
        columns = args.rows.split(",")
        values = [data.column(c).to_pylist() for c in columns]
        summary["rows_of"] = sorted(
            ([text(v) for v in row] for row in zip(*values)), key=lambda r: [x or "" for x in r]
        )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
