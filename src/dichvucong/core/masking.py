"""Masking of personal data wherever it is shown to someone who is not its owner."""


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn V… A…': the family name and initials only."""
    parts = full_name.split()
    if not parts:
        return ""
    return " ".join([parts[0], *(f"{p[0]}…" for p in parts[1:])])


def mask_phone(phone: str) -> str:
    """'0912345678' -> '091*****78'."""
    if len(phone) < 6:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 5) + phone[-2:]


def mask_email(email: str) -> str:
    """'an.nguyen@example.vn' -> 'a*******n@example.vn'."""
    local, _, domain = email.partition("@")
    if not domain:
        return "*" * len(email)
    hidden = local[0] + "*" if len(local) <= 2 else local[0] + "*" * (len(local) - 2) + local[-1]
    return f"{hidden}@{domain}"
