package questionnaire

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/models"
)

// FuzzParseWorkbook: no workbook file panics the reader; it is read or
// refused with an error that names the file. The seeds are forms made by
// WriteTemplate: blank, and filled in as a respondent would (with a
// formula and an out-of-range answer in one of them).
func FuzzParseWorkbook(f *testing.F) {
	set, err := models.Load(nil)
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	seed := func(id, lang string, edit func(x *excelize.File, sheet string)) {
		p := filepath.Join(dir, id+"-"+lang+".xlsx")
		if err := WriteTemplate(p, set[id], TemplateOptions{Lang: lang, Subject: "Acme"}); err != nil {
			f.Fatal(err)
		}
		if edit != nil {
			x, err := excelize.OpenFile(p)
			if err != nil {
				f.Fatal(err)
			}
			edit(x, x.GetSheetList()[1])
			if err := x.Save(); err != nil {
				f.Fatal(err)
			}
			x.Close()
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	answer := func(formula bool) func(x *excelize.File, sheet string) {
		return func(x *excelize.File, sheet string) {
			x.SetCellStr(sheet, "D4", "王芳")
			x.SetCellStr(sheet, "D5", "Director")
			x.SetCellStr(sheet, "D6", "2026-11-20")
			for r, v := firstRow, 0; ; r, v = r+1, v+1 {
				id, _ := x.GetCellValue(sheet, cell("A", r))
				if id == "" {
					break
				}
				x.SetCellValue(sheet, cell("G", r), v%5)
				x.SetCellStr(sheet, cell("H", r), "=HYPERLINK(\"http://x/\")")
			}
			if formula {
				x.SetCellFormula(sheet, cell("G", firstRow), "1+1")
				x.SetCellValue(sheet, cell("G", firstRow+1), 7)
			}
		}
	}
	seed("supplier", "zh", nil)
	seed("supplier", "en", answer(false))
	seed("governance-maturity", "en", answer(true))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "fuzz.xlsx")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		a, err := ParseWorkbook(p, set, "")
		if err != nil {
			if !strings.HasPrefix(err.Error(), p+": ") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		if a == nil {
			t.Fatal("no answers and no error")
		}
	})
}
