"""INSEE "dossier complet", 2025-2026 edition (RP2022): 39 columns, MGP rows (or the national file).

``;``-separated, LF, decimal point, every column on COG 2025 (75056 without arrondissements;
93059 absent, 93066 = merged Saint-Denis). Emits the census age groups, households and
families, activity and unemployment by age, P16/P11 population, the 2023 mean net monthly
salary (SNEMM_23: empty = secret, as documented by PROVENANCE), enterprise and establishment
creations (Sirene/REE 2022-2025), tourism capacity at 1 January 2026, registered voters 2024 and
five BPE 2024 facility counts.

Known defect (PROVENANCE section 3): 93066 P16_POP is 140 960.95 here but 140 962 in the
comparateur: the 2016 population of a commune merged in 2025 is an estimate recomputed on the
new map, and legal populations are whole numbers. A non-integer legal population is kept as
``suspect`` with a ``non_integer_population`` flag (the comparateur, higher priority, wins).
"""

from __future__ import annotations

from pathlib import Path

from etl.contract import STATUS_OK, STATUS_SECRET, STATUS_SUSPECT, ParseResult
from etl.parsers._insee import concat_obs, flag, flags_frame, label_of, melt, read_table, validate
from etl.registry import SourceSpec

COG = 2025
CODE = "CODGEO"

COLUMNS = {
    "P22_POP0014": ("pop0014", 2022),
    "P22_POP1529": ("pop1529", 2022),
    "P22_POP3044": ("pop3044", 2022),
    "P22_POP4559": ("pop4559", 2022),
    "P22_POP6074": ("pop6074", 2022),
    "P22_POP7589": ("pop7589", 2022),
    "P22_POP90P": ("pop90p", 2022),
    "P16_POP": ("pop", 2016),
    "P11_POP": ("pop", 2011),
    "C22_MENPSEUL": ("menpseul", 2022),
    "C22_MENFAM": ("menfam", 2022),
    "C22_COUPAENF": ("coupaenf", 2022),
    "C22_FAMMONO": ("fammono", 2022),
    "C22_COUPSENF": ("coupsenf", 2022),
    "P22_ACT1524": ("act1524", 2022),
    "P22_ACT2554": ("act2554", 2022),
    "P22_ACT5564": ("act5564", 2022),
    "P22_CHOM1524": ("chom1524", 2022),
    "P22_CHOM2554": ("chom2554", 2022),
    "P22_CHOM5564": ("chom5564", 2022),
    "ENCTOT25": ("enctot", 2025),
    "ENCTOT24": ("enctot", 2024),
    "ENCTOT23": ("enctot", 2023),
    "ENCTOT22": ("enctot", 2022),
    "ENCITOT25": ("encitot", 2025),
    "ETCTOT25": ("etctot", 2025),
    # tourism: number of establishments at 1 January 2026
    "HT26": ("ht", 2026),
    "CPG26": ("cpg", 2026),
    "VV26": ("vv", 2026),
    "RT26": ("rt", 2026),
    "AJCS26": ("ajcs", 2026),
    "ELECTEURSLP2024": ("electeurslp", 2024),
    # BPE 2024 nomenclature (codes were renumbered in 2024)
    "BPE_2024_B105": ("bpe_b105", 2024),
    "BPE_2024_B201": ("bpe_b201", 2024),
    "BPE_2024_C201": ("bpe_c201", 2024),
    "BPE_2024_C301": ("bpe_c301", 2024),
    "BPE_2024_D307": ("bpe_d307", 2024),
}
#: Empty means secret only for the salary column (the others are complete in the dossier).
SECRET_WHEN_EMPTY = {"SNEMM_23": ("snemm", 2023)}
#: Legal populations: whole numbers when published as such.
LEGAL_POP = ("P16_POP", "P11_POP")


def parse(files: dict[str, Path], source: SourceSpec) -> ParseResult:
    """Parse the dossier complet extract (file key ``main``)."""
    path = files["main"]
    label = label_of(path)
    cols = [*COLUMNS, *SECRET_WHEN_EMPTY]
    df, flags = read_table(path, columns=[CODE, *cols])
    df = validate(df, CODE, dict.fromkeys(cols, "."), label)

    obs = concat_obs(
        [
            melt(df, CODE, {c: (v, y, COG) for c, (v, y) in COLUMNS.items()}, label),
            melt(
                df,
                CODE,
                {c: (v, y, COG) for c, (v, y) in SECRET_WHEN_EMPTY.items()},
                label,
                empty=STATUS_SECRET,
            ),
        ]
    )
    pop_years = {COLUMNS[c][1] for c in LEGAL_POP}
    odd = (
        (obs["variable"] == "pop")
        & obs["year"].isin(pop_years)
        & (obs["status"] == STATUS_OK)
        & ((obs["value"] - obs["value"].round()).abs() > 1e-6)
    )
    obs.loc[odd, "status"] = STATUS_SUSPECT
    for row in obs.loc[odd].itertuples():
        flags.append(
            flag(
                row.code,
                "pop",
                row.year,
                "non_integer_population",
                f"{row.code} population {row.year} = {row.value:.2f} is not a whole number "
                "(estimate recomputed for a commune merged since; see PROVENANCE section 3)",
            )
        )
    return ParseResult(observations=obs, flags=flags_frame(flags), rows_read={"main": len(df)})
