"""Why a 居民码 / 企业码 was refused: a stable code for staff and logs, plain words for the citizen."""
from __future__ import annotations

# code -> what the citizen reads (and hears). Short, no jargon, always says what to do next.
REASONS: dict[str, str] = {
    "bad_format": "这个二维码不是居民码或企业码，请打开居民码后重试，或使用身份证办理。",
    "unknown_issuer": "这个码不是本终端认可的发码机构开具的，请使用身份证办理。",
    "bad_signature": "这个码无法通过核验，可能已被修改。请在手机上重新打开居民码后重试。",
    "expired": "这个码已过期，请在手机上重新打开居民码再试。",
    "not_yet_valid": "这个码的时间不对，请检查手机时间后在手机上重新打开居民码再试。",
    "lifetime_too_long": "这个码的有效期不符合要求，请在手机上重新打开居民码再试。",
    "bad_check_digit": "码中的证件号码有误，请在手机上重新打开居民码再试，或使用身份证办理。",
    "replayed": "这个码已经使用过了，请在手机上重新打开居民码再试。",
    "needs_network": "这个码需要联网核验，现在网络不通。请使用身份证办理。",
    "unknown_code": "没有查到这个码，请在手机上重新打开居民码再试，或使用身份证办理。",
    "platform_error": "暂时无法核验这个码，请稍后再试，或使用身份证办理。",
}


def message_for(reason: str) -> str:
    """The citizen's message for a refusal code (a generic one for codes added later)."""
    return REASONS.get(reason, REASONS["platform_error"])
