"""List numbers as Word displays them: `numFmt` values of WordprocessingML.

Only formats that Japanese and English documents use are known; any other format
falls back to decimal, which keeps the number's value readable.
"""

from __future__ import annotations

from collections.abc import Callable

_AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_AIUEO_HALF = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝ"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
_IROHA_HALF = _IROHA.translate(str.maketrans(_AIUEO + "ヰヱ", _AIUEO_HALF + "ｲｴ"))
_KANJI_DIGITS = "〇一二三四五六七八九"
_TEN_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"))
_ROMAN += ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
# Symbol and Wingdings fonts put their glyphs in the private use area.
_SYMBOL_FONT_BULLETS = {"\uf0b7": "•", "\uf06c": "●", "\uf06e": "■", "\uf0a7": "▪", "\uf075": "◆", "\uf0d8": "➢"}
_SYMBOL_FONT_BULLETS |= {"\uf0fc": "✓", "\uf076": "❖", "\uf0a8": "○", "\uf0de": "⇒"}


def format_number(value: int, fmt: str) -> str:
    return _FORMATS.get(fmt, str)(value)


def symbol_text(text: str) -> str:
    """A bullet or symbol character, with symbol-font glyphs mapped to Unicode."""
    return "".join(_SYMBOL_FONT_BULLETS.get(c, "•") if "\uf000" <= c <= "\uf0ff" else c for c in text)


def _cycle(alphabet: str) -> Callable[[int], str]:
    return lambda value: alphabet[(value - 1) % len(alphabet)] if value > 0 else str(value)


def _letters(base: str) -> Callable[[int], str]:
    """A, B, ... Z, AA, BB, ...: Word repeats the letter after Z (up to 780, ZZ…Z)."""
    return lambda value: base[(value - 1) % 26] * ((value - 1) // 26 + 1) if 0 < value <= 780 else str(value)


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    out = ""
    for amount, numeral in _ROMAN:
        count, value = divmod(value, amount)
        out += numeral * count
    return out


def _enclosed(first: int, last_value: int) -> Callable[[int], str]:
    """Enclosed numbers such as ① exist up to a limit; beyond it Word shows decimals."""
    return lambda value: chr(first + value - 1) if 1 <= value <= last_value else str(value)


def _circled(value: int) -> str:
    if 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if 21 <= value <= 35:
        return chr(0x3251 + value - 21)
    if 36 <= value <= 50:
        return chr(0x32B1 + value - 36)
    return str(value)


def _kanji_digits(value: int) -> str:
    return "".join(_KANJI_DIGITS[int(d)] for d in str(value))


def _kanji_counting(value: int) -> str:
    """一, 十, 十一, 二十, 百五, 千二百三十四: the Japanese way of counting."""
    if value <= 0 or value >= 10_000:
        return str(value)
    out = ""
    for unit, name in ((1000, "千"), (100, "百"), (10, "十")):
        count, value = divmod(value, unit)
        if count:
            out += ("" if count == 1 else _KANJI_DIGITS[count]) + name
    return out + (_KANJI_DIGITS[value] if value else "")


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda value: f"{value:02d}",
    "decimalFullWidth": lambda value: str(value).translate(_FULL_WIDTH),
    "decimalFullWidth2": lambda value: str(value).translate(_FULL_WIDTH),
    "decimalEnclosedCircle": _circled,
    "decimalEnclosedCircleChinese": _circled,
    "decimalEnclosedParen": _enclosed(0x2474, 20),
    "decimalEnclosedFullstop": _enclosed(0x2488, 20),
    "upperLetter": _letters("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": _letters("abcdefghijklmnopqrstuvwxyz"),
    "upperRoman": _roman,
    "lowerRoman": lambda value: _roman(value).lower(),
    "aiueoFullWidth": _cycle(_AIUEO),
    "aiueo": _cycle(_AIUEO_HALF),
    "irohaFullWidth": _cycle(_IROHA),
    "iroha": _cycle(_IROHA_HALF),
    "ideographDigital": _kanji_digits,
    "japaneseCounting": _kanji_counting,
    "japaneseDigitalTenThousand": _kanji_digits,
    "ideographTraditional": _cycle(_TEN_STEMS),
    "ideographZodiac": _cycle(_ZODIAC),
    "none": lambda value: "",
}
