"""`make backup`: the database (pg_dump, custom format) and a copy of the file storage (the S3
bucket, or the local private and published folders) with the SHA-256 of every object, into
var/backups/<UTC time>/ (or the folder given). `make restore` reads it back (ops/restore.py).

The environment is the production one (DATABASE_URL, STORAGE, S3_*, VAR_DIR); while
`make run-prod` runs, its local database, bucket and S3 server are used. Objects are listed
after the dump, so every file a dumped row names is in the copy (files are never overwritten
or deleted once a dossier is submitted; only a draft's file removed meanwhile can be
missing); a few files newer than the dump may be copied too.
"""

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    OpsError,
    bucket_to_folder,
    folder_manifest,
    ops_env,
    s3_client,
    say,
    sha256_file,
    table_counts,
    var_dir,
    write_json,
)

LOCAL_FOLDERS = {"ho-so": "private", "tep": "media"}  # object prefix → folder under VAR_DIR


def dump_database(url: str, target: Path) -> None:
    result = subprocess.run(  # noqa: S603 (our own arguments)
        ["pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file", str(target), url],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise OpsError(f"pg_dump lỗi: {result.stderr.strip()[-500:]}")


def copy_local(env: dict[str, str], objects: Path) -> dict[str, dict]:
    manifest = {}
    for prefix, folder_name in LOCAL_FOLDERS.items():
        folder = var_dir(env) / folder_name
        if folder.exists():
            shutil.copytree(folder, objects / prefix, dirs_exist_ok=True)
        for key, entry in folder_manifest(objects / prefix).items():
            manifest[f"{prefix}/{key}"] = entry
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sao lưu cơ sở dữ liệu và kho tệp.")
    parser.add_argument("--output", help="thư mục đích (mặc định var/backups/<thời điểm>)")
    args = parser.parse_args(argv)
    env = ops_env()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(args.output) if args.output else var_dir(env) / "backups" / stamp
    try:
        target.mkdir(parents=True, exist_ok=False)
    except FileExistsError:
        say(f"{target} đã có: chọn thư mục khác.")
        return 1
    try:
        say(f"Sao lưu vào {target} …")
        dump_database(env["DATABASE_URL"], target / "database.dump")
        counts = table_counts(env["DATABASE_URL"])
        objects = target / "objects"
        objects.mkdir()
        if env["STORAGE"] == "s3":
            manifest = bucket_to_folder(s3_client(env), env["S3_BUCKET"], objects)
        else:
            manifest = copy_local(env, objects)
        write_json(
            target / "manifest.json",
            {
                "created_at": stamp,
                "database": {
                    "file": "database.dump",
                    "sha256": sha256_file(target / "database.dump"),
                    "row_counts": counts,
                },
                "storage": {"kind": env["STORAGE"], "objects": manifest},
            },
        )
    except OpsError as error:
        say(str(error))
        return 1
    say(
        f"Xong: {sum(counts.values())} dòng trong {len(counts)} bảng, {len(manifest)} tệp "
        f"({sum(e['size'] for e in manifest.values())} byte)."
    )
    print(json.dumps({"backup": str(target)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
