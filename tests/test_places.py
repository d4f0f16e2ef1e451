"""The landmark check of read-back on sheets made for it: which rows it can vouch for."""

from etl.workbook.places import SheetPlaces


class Sheet:
    """A card-like sheet: headings in column A, inputs in column B."""

    def __init__(self, headings: dict[int, str]) -> None:
        self.headings = headings

    def rows(self, sheet, max_row, max_col):
        return [(self.headings.get(row),) for row in range(1, max_row + 1)]

    def values(self, places):
        return {(s, c): (self.headings.get(int(c[1:])), "") for s, c in places}


def test_a_target_named_inside_its_project_name_is_verified():
    project = "福祉講座の開催"
    sheet = Sheet({3: "講座の開催", 4: "2023年度 DO", 5: "2023年度 CHECK"})
    labels = {
        "B3": f"{project} / 講座の開催 / 2023年度 結果",
        "B4": f"{project} / 2023年度 DO",
        "B5": f"{project} / 2023年度 CHECK",
    }
    places = SheetPlaces(sheet, "card", list(labels), list(labels.values()))
    assert [places.place(cell, label).unverified for cell, label in labels.items()] == [False, False, False]
