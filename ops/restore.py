"""`make restore BACKUP=var/backups/<time>`: a backup of ops/backup.py into a FRESH database
and storage, then checked: the row count of every table and the SHA-256 of every file must
equal the backup's manifest.

The target is the production environment (DATABASE_URL, STORAGE, S3_*, VAR_DIR). The database
is created when missing and must be empty; the bucket (created when missing) or the local
folders must hold none of the backup's files. `--replace` drops the database and overwrites
files instead: for a restore drill on a copy, never on a live system.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from backup import LOCAL_FOLDERS
from common import (
    OpsError,
    drop_database,
    ensure_bucket,
    ensure_database,
    folder_to_bucket,
    ops_env,
    s3_client,
    safe_path,
    say,
    sha256_file,
    sha256_object,
    table_counts,
    var_dir,
)


def restore_database(url: str, dump: Path, *, replace: bool) -> None:
    if replace:
        drop_database(url)
    ensure_database(url)
    if table_counts(url):
        raise OpsError("Cơ sở dữ liệu đích đã có bảng: khôi phục cần một cơ sở dữ liệu mới.")
    result = subprocess.run(  # noqa: S603 (our own arguments)
        ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--dbname", url, str(dump)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise OpsError(f"pg_restore lỗi: {result.stderr.strip()[-500:]}")


def restore_s3(env: dict[str, str], objects: Path, manifest: dict, *, replace: bool) -> None:
    client = s3_client(env)
    bucket = env["S3_BUCKET"]
    ensure_bucket(client, bucket)
    if not replace:
        for key in manifest:
            if client.list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1).get("KeyCount"):
                raise OpsError(f"Kho đích đã có {key}: khôi phục cần một bucket mới.")
    folder_to_bucket(client, bucket, objects, manifest)
    for key, entry in manifest.items():  # read back what was written
        if sha256_object(client, bucket, key) != entry["sha256"]:
            raise OpsError(f"{key}: SHA-256 sau khôi phục không khớp.")


def restore_local(env: dict[str, str], objects: Path, manifest: dict, *, replace: bool) -> None:
    targets = {}
    for key, entry in manifest.items():
        prefix, _, rest = key.partition("/")
        if prefix not in LOCAL_FOLDERS:
            raise OpsError(f"Tệp {key} không thuộc kho nào đã biết.")
        target = safe_path(var_dir(env) / LOCAL_FOLDERS[prefix], rest)
        if target.exists() and not replace:
            raise OpsError(f"{target} đã có: khôi phục cần thư mục trống.")
        targets[key] = (target, entry)
    for key, (target, entry) in targets.items():
        source = safe_path(objects, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        if sha256_file(target) != entry["sha256"]:
            raise OpsError(f"{key}: SHA-256 sau khôi phục không khớp.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Khôi phục một bản sao lưu.")
    parser.add_argument("backup", nargs="?", help="thư mục sao lưu (var/backups/<thời điểm>)")
    parser.add_argument("--replace", action="store_true", help="xóa cơ sở dữ liệu đích trước")
    args = parser.parse_args(argv)
    if not args.backup:
        say("Chỉ rõ bản sao lưu: make restore BACKUP=var/backups/<thời điểm>")
        return 2
    source = Path(args.backup)
    try:
        manifest = json.loads((source / "manifest.json").read_text())
        env = ops_env()
        dump = source / manifest["database"]["file"]
        if sha256_file(dump) != manifest["database"]["sha256"]:
            raise OpsError("Tệp cơ sở dữ liệu của bản sao lưu đã bị thay đổi (SHA-256).")
        say(f"Khôi phục {source} …")
        restore_database(env["DATABASE_URL"], dump, replace=args.replace)
        objects = manifest["storage"]["objects"]
        if env["STORAGE"] == "s3":
            restore_s3(env, source / "objects", objects, replace=args.replace)
        else:
            restore_local(env, source / "objects", objects, replace=args.replace)
        counts = table_counts(env["DATABASE_URL"])
        expected = manifest["database"]["row_counts"]
        if counts != expected:
            different = sorted(t for t in expected.keys() | counts.keys()
                               if counts.get(t) != expected.get(t))  # fmt: skip
            raise OpsError(f"Số dòng khác bản sao lưu ở các bảng: {', '.join(different)}")
    except FileNotFoundError as error:
        say(f"Không đọc được bản sao lưu: {error.filename}")
        return 1
    except OpsError as error:
        say(str(error))
        return 1
    say(
        f"Xong: {sum(counts.values())} dòng trong {len(counts)} bảng và {len(objects)} tệp "
        "khớp bản sao lưu."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
