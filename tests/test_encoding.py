from extractors.encoding import decode, normalise_label

TEXT = "전주시는 12일 이동노동자 지원을 위한 간담회를 개최했다. 똠방각하 같은 확장 글자도 있다."


def test_declared_euc_kr_is_read_as_cp949():
    body = f'<html><head><meta charset="euc-kr"></head><body>{TEXT}</body></html>'.encode("cp949")
    text, codec = decode(body)
    assert codec == "cp949" and TEXT in text


def test_http_header_wins_over_meta():
    body = f'<meta charset="utf-8"><p>{TEXT}</p>'.encode("cp949")
    text, codec = decode(body, "text/html; charset=EUC-KR")
    assert codec == "cp949" and TEXT in text


def test_undeclared_euc_kr_is_detected():
    text, codec = decode(f"<p>{TEXT}</p>".encode("cp949"))
    assert codec == "cp949" and TEXT in text


def test_mislabelled_utf8_falls_back():
    body = f'<meta charset="euc-kr"><p>{TEXT}</p>'.encode()
    text, codec = decode(body)
    assert TEXT in text and codec == "utf-8"


def test_utf8_bom_and_labels():
    text, _ = decode("\ufeff".encode() + TEXT.encode("utf-8"))
    assert text.startswith("전주시")
    assert normalise_label("ks_c_5601-1987") == "cp949"
    assert normalise_label("no-such-charset") is None
