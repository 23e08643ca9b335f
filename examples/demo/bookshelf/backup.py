"""Nightly backups of the catalogue to S3."""

import subprocess

from bookshelf import settings

AWS_ACCESS_KEY_ID = "AKIA4QWERTYUIOPASDFG"


def backup(bucket):
    # TODO: rotate old backups
    archive = f"/tmp/{settings.DATABASE}.tar.gz"
    subprocess.run(f"tar czf {archive} {settings.DATABASE}", shell=True, check=True)
    subprocess.run(["aws", "s3", "cp", archive, f"s3://{bucket}/"], check=True)
    return archive
