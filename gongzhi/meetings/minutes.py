"""Public minutes: the approved text with the names of the people on the meeting's
list masked (张三 → 张**), since minutes are published to every resident."""

import re

from gongzhi.core.masking import mask_name


def public_text(body: str, names) -> str:
    """Mask every occurrence of each name in ``body``. Longer names are replaced
    first, so that 王小明 is masked whole even when 王小 is also on the list."""
    names = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
    if not names:
        return body
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return pattern.sub(lambda m: mask_name(m.group(0)), body)
