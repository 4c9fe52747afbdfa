"""PostgreSQL helpers shared by the benchmark scripts (run as `python bench/<name>.py`)."""

from urllib.parse import urlparse


def prepare_database(url: str, *, recreate: bool) -> None:
    """Create the benchmark database named in `url` (dropping it first when `recreate`)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if exists and recreate:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
