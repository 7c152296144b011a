package stack

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// FuzzShowStat: parseShowStat reads HAProxy's `show stat` reply. Seeded
// with a real one (testdata/fuzzseed/README.md); it must not panic, and
// every row it returns holds only the header's columns, in the reply's
// values.
func FuzzShowStat(f *testing.F) {
	real, err := os.ReadFile("testdata/fuzzseed/show-stat.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(real))
	f.Add(string(real[:len(real)/2]))
	for _, s := range []string{"", "# ", "# pxname,svname\n", "# pxname,svname,scur\nbe,s1\nbe,s2,3,extra\n", "# a,\"b\nc\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, out string) {
		rows, err := parseShowStat(out)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "haproxy show stat: ") {
				t.Fatalf("error without its prefix: %v", err)
			}
			return
		}
		// The reference: the same CSV read whole, row by row.
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "# ")))
		r.FieldsPerRecord = -1
		recs, _ := r.ReadAll()
		if len(rows) != len(recs)-1 {
			t.Fatalf("%d rows from %d records", len(rows), len(recs))
		}
		header := map[string]bool{}
		for _, h := range recs[0] {
			header[h] = true
		}
		for i, row := range rows {
			if len(row) > len(recs[0]) || len(row) > len(recs[i+1]) {
				t.Fatalf("row %d has %d columns: header %d, record %d", i, len(row), len(recs[0]), len(recs[i+1]))
			}
			for k := range row {
				if !header[k] {
					t.Fatalf("row %d has column %q, not in the header", i, k)
				}
			}
		}
	})
}

// FuzzDecodeStats: decodeStats reads a backend's /stats reply, seeded with
// what a Backend answers; it must not panic, and a reply it accepts
// written again reads back the same.
func FuzzDecodeStats(f *testing.F) {
	rec := httptest.NewRecorder()
	NewBackend(2).ServeHTTP(rec, httptest.NewRequest("GET", "/stats", nil))
	f.Add(rec.Body.Bytes())
	for _, s := range []string{"", "{}", `{"slots": "2"}`, `{"slots": 1e99}`, `{"cpu_percent": 1e400}`, "[]", `{"slots": 2}{"slots": 3}`} {
		f.Add([]byte(s))
	}
	// Bounded: a reply that never ends costs maxStatsReply bytes.
	if _, err := decodeStats(strings.NewReader(`{"slots": ` + strings.Repeat("1", 2*maxStatsReply) + `}`)); err == nil {
		f.Error("decoded a reply past maxStatsReply")
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := decodeStats(bytes.NewReader(b))
		if err != nil {
			return
		}
		var again bytes.Buffer
		if err := json.NewEncoder(&again).Encode(st); err != nil {
			t.Fatalf("accepted stats that cannot be written: %+v: %v", st, err)
		}
		back, err := decodeStats(&again)
		if err != nil || back != st {
			t.Fatalf("round trip: %+v, then %+v, %v", st, back, err)
		}
	})
}
