"""Official documents made from the data: the PDF report (Nghị định 30/2020/NĐ-CP), the
spreadsheet export."""
