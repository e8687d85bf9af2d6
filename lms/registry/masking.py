"""How personal data is shown to people who do not need it in full (pure functions)."""


def mask_id_number(value: str) -> str:
    """530102199001011234 -> 530102********1234 (region kept, birth date and serial hidden)."""
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678."""
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_name(value: str) -> str:
    """张三 -> 张*, 张小华 -> 张*华, 欧阳小华 -> 欧**华."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
