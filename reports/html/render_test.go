package html

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/reports/excel"
)

// The rendering test prints the board paper with headless Chromium and the
// workbook with LibreOffice, as a reader would, and reads the PDFs back
// with poppler: page size, page count, and that no page is empty or holds
// only a heading. It needs chromium (or chromium-browser, google-chrome),
// soffice, pdfinfo and pdftotext on PATH (.ci/run installs them) and skips
// without them.

func renderTools(t *testing.T) (chrome, soffice string) {
	t.Helper()
	var missing []string
	for _, c := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(c); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		missing = append(missing, "chromium (or chromium-browser, google-chrome)")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		missing = append(missing, "soffice (LibreOffice Calc)")
	}
	for _, c := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(c); err != nil {
			missing = append(missing, c+" (poppler-utils)")
		}
	}
	if len(missing) > 0 {
		t.Skipf("rendering test skipped: %s not on PATH (.ci/run installs them)", strings.Join(missing, ", "))
	}
	if testing.Short() {
		t.Skip("rendering test skipped in -short mode")
	}
	return chrome, soffice
}

func run(t *testing.T, timeout time.Duration, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// pdfPages reads a PDF's page count and first page size (points).
func pdfPages(t *testing.T, pdf string) (n int, size string) {
	t.Helper()
	for _, line := range strings.Split(run(t, time.Minute, "pdfinfo", pdf), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Pages":
			n, _ = strconv.Atoi(v)
		case "Page size":
			size = v
		}
	}
	if n == 0 {
		t.Fatalf("%s: no pages", pdf)
	}
	return n, size
}

// pageLines is the text of page p without the running header and footer
// (the lines that name the institution, and the generation line).
func pageLines(t *testing.T, pdf string, p int, running ...string) []string {
	t.Helper()
	txt := run(t, time.Minute, "pdftotext", "-layout", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), pdf, "-")
	var out []string
next:
	for _, l := range strings.Split(txt, "\n") {
		l = strings.TrimSpace(strings.Trim(l, "\f"))
		if l == "" {
			continue
		}
		for _, r := range running {
			if strings.Contains(l, r) {
				continue next
			}
		}
		out = append(out, l)
	}
	return out
}

// checkPages fails for a page with nothing but its running header and
// footer, or with one line only (a heading alone).
func checkPages(t *testing.T, pdf string, n int, running ...string) [][]string {
	t.Helper()
	var pages [][]string
	for p := 1; p <= n; p++ {
		lines := pageLines(t, pdf, p, running...)
		switch len(lines) {
		case 0:
			t.Errorf("%s page %d of %d is empty", filepath.Base(pdf), p, n)
		case 1:
			t.Errorf("%s page %d of %d holds one line only: %q", filepath.Base(pdf), p, n, lines[0])
		}
		pages = append(pages, lines)
	}
	return pages
}

func TestRenderBoardPaperAndWorkbook(t *testing.T) {
	chrome, soffice := renderTools(t)
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			r := historyReport(t, lang)
			htmlPath := filepath.Join(dir, "osgauge-2026Q4.html")
			if err := WriteFile(htmlPath, r); err != nil {
				t.Fatal(err)
			}
			xlsx := filepath.Join(dir, "osgauge-2026Q4.xlsx")
			if err := excel.Write(xlsx, r); err != nil {
				t.Fatal(err)
			}
			inst, gen := "Example Bank", "osgauge · Generated at"
			if lang == "zh" {
				gen = "osgauge · 生成时间"
			}

			// The board paper, printed as the README says (no paper size
			// given: A4 must come from the paper's own CSS).
			board := filepath.Join(dir, "board.pdf")
			run(t, 3*time.Minute, chrome, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
				"--user-data-dir="+filepath.Join(dir, "chrome"), "--no-pdf-header-footer",
				"--virtual-time-budget=10000", "--print-to-pdf="+board, "file://"+htmlPath)
			n, size := pdfPages(t, board)
			// A4 is 595.28 × 841.89 pt; Chromium rounds to 594.96 × 841.92.
			if !strings.Contains(size, "(A4)") {
				t.Errorf("board paper page size %q, want A4", size)
			}
			// The sample report has an overview with top risks, the grade
			// chart, the projects' key figures and changes since 2026Q3 (a
			// new page), suppliers, maturity, trends and the models: at
			// least the four forced page starts (overview, changes,
			// suppliers, maturity) and the trends; at most two pages a
			// section.
			if n < 4 || n > 12 {
				t.Errorf("board paper: %d pages, want 4–12", n)
			}
			pages := checkPages(t, board, n, inst, gen)
			// The grade chart prints its axis labels (SVG text): every
			// grade's label on the first page.
			first := strings.Join(pages[0], "\n")
			grades := []string{"A (healthy)", "B", "C", "D (at risk)"}
			if lang == "zh" {
				grades = []string{"A（健康）", "B", "C", "D（高风险）"}
			}
			for _, g := range grades {
				if !strings.Contains(first, g) {
					t.Errorf("board paper page 1 lacks the grade axis label %q:\n%s", g, first)
				}
			}

			// The workbook, converted by LibreOffice with its own print
			// settings.
			run(t, 3*time.Minute, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "lo"),
				"--headless", "--convert-to", "pdf", "--outdir", dir, xlsx)
			book := filepath.Join(dir, "osgauge-2026Q4.pdf")
			n, size = pdfPages(t, book)
			if !strings.Contains(size, "(A4)") {
				t.Errorf("workbook page size %q, want A4", size)
			}
			// Eight sheets; Summary one page; the wide ones (Projects,
			// Indicators, Suppliers, Maturity, Trends, Model, Sources) two
			// to four pages across at 73 %, one page down for this small
			// report, the Model sheet a few down: 8–40 pages.
			if n < 8 || n > 40 {
				t.Errorf("workbook: %d pages, want 8–40", n)
			}
			footer := "Generated by osgauge"
			if lang == "zh" {
				footer = "由 osgauge"
			}
			checkPages(t, book, n, inst, footer)
			fmt.Fprintf(os.Stderr, "render %s: board paper %d pages, workbook %d pages\n", lang, len(pages), n)
		})
	}
}
