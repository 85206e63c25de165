package sbom

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// writeBigCycloneDX writes a CycloneDX JSON SBOM of n Maven components
// as SBOM tools write them (short bom-refs, a purl, a SHA-256, licences:
// one id, a licence name, two ids without operator, an expression; a VCS
// reference on every tenth) and a dependency graph (each component
// depends on up to 3 later ones, the root on the first 50): 200,000
// components make about 60 MB.
func writeBigCycloneDX(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(`{"bomFormat":"CycloneDX","specVersion":"1.4","version":1,` +
		`"metadata":{"component":{"type":"application","bom-ref":"root","group":"com.bank","name":"core-banking","version":"1.0","purl":"pkg:maven/com.bank/core-banking@1.0"}},` +
		"\n\"components\":[\n")
	lic := []string{`{"license":{"id":"Apache-2.0"}}`, `{"license":{"id":"MIT"}}`, `{"license":{"id":"Apache-2.0"}},{"license":{"id":"EPL-1.0"}}`,
		`{"license":{"name":"The Apache Software License, Version 2.0"}}`, `{"expression":"EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0"}`}
	for i := range n {
		if i > 0 {
			w.WriteString(",\n")
		}
		g := i % 5000
		fmt.Fprintf(w, `{"type":"library","bom-ref":"c%d","group":"org.ex.g%d","name":"a-%d","version":"1.%d.0","purl":"pkg:maven/org.ex.g%d/a-%d@1.%d.0?type=jar",`+
			`"hashes":[{"alg":"SHA-256","content":"%064x"}],"licenses":[%s]`, i, g, i, i%40, g, i, i%40, i*104729, lic[i%len(lic)])
		if i%10 == 0 {
			fmt.Fprintf(w, `,"externalReferences":[{"type":"vcs","url":"https://github.com/ex/a-%d"}]`, i)
		}
		w.WriteString("}")
	}
	w.WriteString("\n],\n\"dependencies\":[\n{\"ref\":\"root\",\"dependsOn\":[")
	for i := range 50 {
		if i > 0 {
			w.WriteString(",")
		}
		fmt.Fprintf(w, `"c%d"`, i)
	}
	w.WriteString("]}")
	for i := range n {
		fmt.Fprintf(w, ",\n{\"ref\":\"c%d\",\"dependsOn\":[", i)
		for k, j := 0, i+1; k < 3 && j < n; k, j = k+1, j+1+k*17 {
			if k > 0 {
				w.WriteString(",")
			}
			fmt.Fprintf(w, `"c%d"`, j)
		}
		w.WriteString("]}")
	}
	w.WriteString("\n]}\n")
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

var (
	bigOnce sync.Once
	bigPath string
	bigErr  error
)

func bigSBOM(b *testing.B) string {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "osgauge-sbom-bench")
		if err != nil {
			bigErr = err
			return
		}
		bigPath = filepath.Join(dir, "big.cdx.json")
		bigErr = writeBigCycloneDX(bigPath, 200_000)
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigPath
}

// BenchmarkParseFileLarge parses a 200,000-component (~60 MB) CycloneDX
// JSON file and reports, beside ns/op and B/op, the peak live heap
// sampled during the parse, the heap the result holds, and the process's
// peak RSS (VmHWM).
//
//	go test ./collectors/sbom/ -run '^$' -bench ParseFileLarge -benchmem -benchtime 3x
func BenchmarkParseFileLarge(b *testing.B) {
	path := bigSBOM(b)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	var peak atomic.Uint64
	for b.Loop() {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() { // sample the live heap
			defer close(done)
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
		doc, err := ParseFile(path)
		close(stop)
		<-done
		if err != nil {
			b.Fatal(err)
		}
		if len(doc.Components) != 200_000 {
			b.Fatalf("%d components", len(doc.Components))
		}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-min(after.HeapAlloc, base.HeapAlloc))/(1<<20), "result-MB")
		runtime.KeepAlive(doc)
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(vmHWM()/(1<<10), "peak-RSS-MB")
	b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
}

// vmHWM is the process's peak resident set in kB (Linux; 0 elsewhere).
func vmHWM() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			v, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return v
		}
	}
	return 0
}

// BenchmarkParsePURL measures the package URL reader on a typical purl.
func BenchmarkParsePURL(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		p, _ := ParsePURL("pkg:maven/org.eclipse.jetty/jetty-server@9.4.18.v20190429?type=jar")
		_ = p.Key()
	}
}
