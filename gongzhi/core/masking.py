"""Masking of personal data on public pages (DOMAIN.md, "Personal information")."""


def mask_name(name: str | None) -> str:
    """张三丰 -> 张**. The mask length is fixed so it does not reveal the name's length."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "**"


def mask_phone(phone: str | None) -> str:
    """13812341234 -> 138****1234."""
    phone = (phone or "").strip()
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_number(value: str | None) -> str:
    """310101199001011234 -> 3****************4: only the first and last character."""
    value = (value or "").strip()
    if len(value) <= 2:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]
