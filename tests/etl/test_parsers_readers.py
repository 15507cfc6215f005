"""The shared readers behind every parser, on hand-made inputs: numbers parsed as pandas parses
them (to the bit), pandera schemas validated through pandera's public API, short lines found;
every error names the file, the line and the field.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from etl import readers
from etl.contract import STATUS_MISSING, STATUS_OK, STATUS_SECRET, RawDataError
from etl.readers import LINE

#: Cells where a fast parse could differ from pandas: long mantissas, exponents, signs, "-0",
#: separators, secrecy markers, blanks.
TRICKY = [
    "12",
    "-3.25",
    "0.857142857142857",  # 16 digits (15 significant)
    "0.30000000000000004",  # 17 significant digits
    "9007199254740993",  # beyond 2**53
    "123456789012345678901",
    "1e5",
    "2.5E-3",
    "-0",
    "-0.0",
    "007",
    "  42 ",
    "1\u00a0234",
    "5\u202f000",
    "",
    "s",
    "0.000000000000000000001234",
]


def _reference(df: pd.DataFrame, field: str, decimal: str = ".", secret=("s",), empty=STATUS_MISSING):
    """The column-by-column parse ``etl.readers.to_number`` always did (pandas' own parser)."""
    raw = df[field].astype(str).str.strip()
    txt = raw.str.replace("\u00a0", "", regex=False).str.replace("\u202f", "", regex=False)
    if decimal != ".":
        txt = txt.str.replace(decimal, ".", regex=False)
    is_empty, is_secret = raw == "", raw.isin(list(secret))
    values = pd.to_numeric(txt.where(~(is_empty | is_secret)), errors="coerce").astype(float)
    status = pd.Series(STATUS_OK, index=df.index, dtype=object)
    status[is_empty] = empty
    status[is_secret] = STATUS_SECRET
    return values, status


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both_nan = np.isnan(a) & np.isnan(b)
    return bool(((a.view(np.int64) == b.view(np.int64)) | both_nan).all())


def _frame(columns: dict[str, list[str]]) -> pd.DataFrame:
    df = pd.DataFrame(columns, dtype="str")
    df[LINE] = range(2, len(df) + 2)
    return df


def test_numbers_are_parsed_as_pandas_parses_them_to_the_bit() -> None:
    rng = np.random.default_rng(7)
    cells = [
        *TRICKY,
        *(f"{rng.random() * 10.0 ** rng.integers(-3, 9):.{rng.integers(0, 17)}f}" for _ in range(400)),
    ]
    cols = {f"c{i}": list(rng.permutation(cells)) for i in range(4)}
    cols["ints"] = [str(v) for v in rng.integers(-5, 10**12, len(cells))]
    cols["ints"][3] = "-0"  # pandas reads "-0" as 0 in a column of integers
    cols["comma"] = [c.replace(".", ",") for c in cols["c0"]]
    df = _frame(cols)
    fields = list(cols)
    decimal = {"comma": ","}
    values, status = readers.to_numbers(df, fields, "f.csv", decimal=decimal, empty=STATUS_SECRET)
    for i, field in enumerate(fields):
        ref_values, ref_status = _reference(df, field, decimal.get(field, "."), empty=STATUS_SECRET)
        assert _same_bits(values[i], ref_values.to_numpy()), field
        assert status[i].tolist() == ref_status.tolist(), field
    one_value, one_status = readers.to_number(df, "c1", "f.csv")
    ref_values, ref_status = _reference(df, "c1")
    pd.testing.assert_series_equal(one_value, ref_values)
    pd.testing.assert_series_equal(one_status, ref_status)


def test_number_error_names_the_first_bad_column_line_and_value() -> None:
    df = _frame({"a": ["1", "2", "3"], "b": ["4", "x5", "6"], "c": ["7y", "8", "9"]})
    df.index = [10, 11, 12]  # the line comes from _line, not from the position
    with pytest.raises(RawDataError) as err:
        readers.to_numbers(df, ["a", "b", "c"], "f.csv")
    assert (err.value.file, err.value.line, err.value.field) == ("f.csv", 3, "b")
    assert err.value.message == "not a number: 'x5'"
    with pytest.raises(RawDataError) as err:  # the order given decides
        readers.to_numbers(df, ["c", "b"], "f.csv")
    assert (err.value.line, err.value.field) == (2, "c")


def test_thousands_and_secret_tokens() -> None:
    df = _frame({"n": [" 37\u00a0855 ", "1 234", "-", "nd", ""]})
    values, status = readers.to_numbers(
        df.replace({"n": {"-": "0"}}), ["n"], "f", secret=("nd",), thousands=" "
    )
    assert values[0, :2].tolist() == [37855.0, 1234.0] and values[0, 2] == 0.0
    assert status[0].tolist() == [STATUS_OK, STATUS_OK, STATUS_OK, STATUS_SECRET, STATUS_MISSING]


SCHEMA = pa.DataFrameSchema(
    {
        "code": pa.Column(str, readers.code_check(), unique=True),
        "n": pa.Column(str, pa.Check.str_matches(r"^\d+$", error="not a count")),
        "kind": pa.Column(str, pa.Check.isin(["a", "b"])),
        "year": pa.Column(int, pa.Check.in_range(2000, 2100)),
        "x": pa.Column(float, pa.Check.ge(0)),
        "free": pa.Column(str),
    }
)


def _valid() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "code": ["94081", "75056", "2A004"],
            "n": ["1", "22", "333"],
            "kind": ["a", "b", "a"],
            "year": [2000, 2050, 2100],
            "x": [0.0, 1.5, 2.0],
            "free": ["", "x", "y"],
            "extra": [1, 2, 3],
        }
    ).astype({"code": "str", "n": "str", "kind": "str", "free": "str"})
    df[LINE] = range(2, 5)
    return df


def _pandera_first_failure(df: pd.DataFrame) -> tuple[str | None, int | None]:
    """(field, raw line) of the first failure pandera itself reports (public API)."""
    with pytest.raises(pa.errors.SchemaErrors) as err:
        SCHEMA.validate(df, lazy=True)
    first = err.value.failure_cases.iloc[0]
    field = None if pd.isna(first["column"]) else str(first["column"])
    line = None if pd.isna(first["index"]) else int(df.loc[int(first["index"]), LINE])
    return field, line


@pytest.mark.parametrize(
    ("column", "row", "value"),
    [
        ("code", 1, "7505"),
        ("code", 2, "94081"),  # duplicate
        ("n", 0, "1.5"),
        ("n", 2, None),  # missing value
        ("kind", 1, "c"),
        ("year", 0, 1999),
        ("x", 2, -0.5),
        ("free", 0, None),
    ],
)
def test_schema_check_names_file_line_and_field(column, row, value) -> None:
    valid = _valid()
    out = readers.check(valid, SCHEMA, "f.csv")
    pd.testing.assert_frame_equal(out, SCHEMA.validate(valid, lazy=True))
    bad = _valid()
    bad[column] = bad[column].astype(object)
    bad.loc[row, column] = value
    if column in ("year", "x"):
        bad[column] = bad[column].astype(valid[column].dtype if value is not None else float)
    else:
        bad[column] = bad[column].astype("str")
    with pytest.raises(RawDataError) as err:
        readers.check(bad, SCHEMA, "f.csv")
    assert err.value.file == "f.csv" and err.value.field == column
    assert (err.value.field, err.value.line) == _pandera_first_failure(bad)
    if column != "code" or value != "94081":  # a duplicate: pandera names its first occurrence
        assert err.value.line == row + 2


def test_schema_check_wrong_dtype_and_missing_column() -> None:
    bad = _valid().astype({"year": "int32"})
    with pytest.raises(RawDataError) as err:
        readers.check(bad, SCHEMA, "f.csv")
    assert err.value.field == "year" and "int64" in str(err.value)
    missing = _valid().drop(columns="kind")
    with pytest.raises(RawDataError) as err:
        readers.check(missing, SCHEMA, "f.csv")
    assert "kind" in str(err.value) and "f.csv" in str(err.value)


def test_readers_use_no_private_pandera_attribute() -> None:
    """pandera through its public API only (issue #12: no ``chk._check_fn``)."""
    import ast
    import inspect

    from etl.readers import numbers, schema, text

    for module in (readers, numbers, schema, text):
        tree = ast.parse(inspect.getsource(module))
        private = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr.startswith("_")]
        assert not [a for a in private if not a.startswith("__")], module.__name__


@pytest.mark.parametrize(
    ("text", "skip", "line"),
    [
        ("a;b;c\n1;2;3\n4;5;6\n", 0, None),
        ("a;b;c\n1;2;3\n4;5\n", 0, 3),  # truncated last line
        ("a;b;c\n1;2\n\n4;5;6", 0, 2),  # damaged line, blank line, no final newline
        ("a;b;c;;\n1;2;3\n", 0, None),  # trailing empty header cells
        ("a;b;c\n1;2;3\n ; \n   \n", 0, None),  # short lines with blank cells only
        ("title\n\na;b\n1;2\n3\n", 2, 5),  # skipped title lines
        ("é;ü;c\n1;ï;3\nà;2\n", 0, 3),  # non-ASCII text
        ('a;b\n"1;1";2\n"3"\n', 0, 3),  # a separator inside quotes; a short quoted line
    ],
)
def test_short_lines_are_named(tmp_path, text: str, skip: int, line: int | None) -> None:
    """pandas pads a short line with empty cells: the field counts find it, by its line."""
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    if line is None:
        assert len(readers.read_csv(path, columns=["a"], skip_lines=skip)) >= 1
        return
    with pytest.raises(RawDataError) as err:
        readers.read_csv(path, columns=["a"], skip_lines=skip)
    assert (err.value.file, err.value.line) == (str(path), line)
    assert "fields where the header has" in err.value.message


def test_empty_file_is_named(tmp_path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="empty") as err:
        readers.read_csv(path, columns=["a"])
    assert err.value.file == str(path)


def test_blank_trailing_lines_are_dropped(tmp_path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("code;v\n94081;1\n ;\n75056;\n;  \n\n", encoding="utf-8")
    df = readers.read_csv(path, columns=["code", "v"])
    assert df["code"].tolist() == ["94081", "75056"] and df[LINE].tolist() == [2, 4]
