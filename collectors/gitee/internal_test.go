package gitee

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func TestItemN(t *testing.T) {
	seen := map[int]string{}
	for _, ref := range []string{"I1ICN6", "I5ABCD", "I5ABCE", "12", "1", "i1icn6x", "some-very-long-number-string"} {
		n := itemN(ref)
		if n < issueBase {
			t.Errorf("itemN(%q) = %d below issueBase", ref, n)
		}
		if n != itemN(ref) {
			t.Errorf("itemN(%q) not stable", ref)
		}
		if prev, dup := seen[n]; dup {
			t.Errorf("itemN(%q) = itemN(%q)", ref, prev)
		}
		seen[n] = ref
	}
	if itemN("12") != issueBase+12 {
		t.Error("a decimal issue number is not kept")
	}
}

func TestNumberAndWhen(t *testing.T) {
	var v struct {
		A, B, C number
		T, U, W when
	}
	err := json.Unmarshal([]byte(`{"A":"I5ABCD","B":12,"C":null,"T":"2020-05-25T20:01:39+08:00","U":"","W":null}`), &v)
	if err != nil {
		t.Fatal(err)
	}
	if v.A != "I5ABCD" || v.B != "12" || v.C != "" {
		t.Errorf("numbers %q %q %q", v.A, v.B, v.C)
	}
	if !v.T.Equal(time.Date(2020, 5, 25, 12, 1, 39, 0, time.UTC)) || !v.U.IsZero() || !v.W.IsZero() {
		t.Errorf("times %v %v %v", v.T, v.U, v.W)
	}
}

func TestLicenseSPDX(t *testing.T) {
	for in, want := range map[string]string{
		`"MIT"`: "MIT", `"Apache-2.0"`: "Apache-2.0", `"Apache License 2.0"`: "Apache-2.0", `"GPLv3"`: "GPL-3.0",
		`"MulanPSL-2.0"`: "MulanPSL-2.0", `"木兰宽松许可证, 第2版"`: "MulanPSL-2.0", `"mulanpsl-2.0"`: "MulanPSL-2.0",
		`null`: "", `""`: "", `"其他"`: "", `{"spdx_id":"BSD-3-Clause","name":"BSD 3"}`: "BSD-3-Clause",
		`"EUPL-1.2"`: "EUPL-1.2",
	} {
		if got := licenseSPDX(json.RawMessage(in)); got != want {
			t.Errorf("licenseSPDX(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestNextPage(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	for _, tc := range []struct {
		h       http.Header
		page, n int
		want    int
	}{
		{h("total_page", "3"), 1, 100, 2},
		{h("total_page", "3"), 3, 100, 0},
		{h("total_page", "1"), 1, 100, 0},
		{h(), 1, 100, 2},
		{h(), 2, 40, 0},
		{h("Link", `<https://x/api/v5/repos/o/r/commits?page=4&per_page=100>; rel="next", <https://x/…?page=9>; rel="last"`, "total_page", "2"), 3, 100, 4},
		{h("Link", `<https://x/api/v5/repos/o/r/commits?page=1>; rel="prev"`), 2, 100, 0},
	} {
		if got := nextPage(tc.h, tc.page, tc.n); got != tc.want {
			t.Errorf("nextPage(%v, %d, %d) = %d, want %d", tc.h, tc.page, tc.n, got, tc.want)
		}
	}
}
