from dichvucong.core.tests.s3 import moto_s3, s3_bucket

__all__ = ["moto_s3", "s3_bucket"]
