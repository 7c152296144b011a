package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLongRunHourlyAndMonths: 35 days of the year example (fluid mode, a
// few seconds) are over AutoHourlyAfter, so the time series has an hour
// per row, and the run has its months — all of January, 4 days of
// February projected to the month — and the Savings Plan commitment, in
// the JSON, the CSV and the report. --resolution 1m keeps minute rows; a
// bad --resolution is bad input.
func TestLongRunHourlyAndMonths(t *testing.T) {
	dir := examplesCopy(t)
	p := boundedCopy(t, filepath.Join(examplesDir, "year-fluid.yaml"), dir, 35*24*time.Hour)
	out := t.TempDir()
	if code, _, errs := capsim(t, "run", "--quiet", "--out", out, p); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	var doc struct {
		SeriesResolutionS int `json:"series_resolution_s"`
		Summary           struct {
			Months []struct {
				Month         string
				Partial       bool
				CostUSD       float64 `json:"cost_usd"`
				ProjectedUSD  float64 `json:"projected_usd"`
				PeakInstances int     `json:"peak_instances"`
				MeanInstances float64 `json:"mean_instances"`
				Requests      int64
				Hours         float64
				MonthHours    float64 `json:"month_hours"`
			}
			Commitment *struct {
				BestUSDPerHour      float64 `json:"best_usd_per_hour"`
				BreakEvenUsedShare  float64 `json:"break_even_used_share"`
				BreakEvenUSDPerHour float64 `json:"break_even_usd_per_hour"`
			} `json:"savings_plan_commitment"`
			Cost struct {
				TotalUSD float64 `json:"total_usd"`
			}
			Requests struct{ Total int64 }
		}
		Timeseries []json.RawMessage
	}
	b, err := os.ReadFile(filepath.Join(out, "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SeriesResolutionS != 3600 || len(doc.Timeseries) != 35*24 {
		t.Errorf("series_resolution_s %d, %d rows; want 3600 and 840", doc.SeriesResolutionS, len(doc.Timeseries))
	}
	ms := doc.Summary.Months
	if len(ms) != 2 || ms[0].Month != "2027-01" || ms[0].Partial || ms[1].Month != "2027-02" || !ms[1].Partial || ms[1].Hours != 96 {
		t.Fatalf("months %+v", ms)
	}
	var cost float64
	var req int64
	for _, m := range ms {
		cost += m.CostUSD
		req += m.Requests
	}
	if d := cost - doc.Summary.Cost.TotalUSD; d > 1e-4 || d < -1e-4 || req != doc.Summary.Requests.Total {
		t.Errorf("months add up to $%v and %d requests, the run $%v and %d", cost, req, doc.Summary.Cost.TotalUSD, doc.Summary.Requests.Total)
	}
	if want := ms[1].CostUSD * 672 / 96; ms[1].ProjectedUSD < want*0.999999 || ms[1].ProjectedUSD > want*1.000001 {
		t.Errorf("February projected to $%v, want $%v", ms[1].ProjectedUSD, want)
	}
	if c := doc.Summary.Commitment; c == nil || c.BestUSDPerHour <= 0 || c.BreakEvenUSDPerHour <= c.BestUSDPerHour || c.BreakEvenUsedShare != 0.72 {
		t.Errorf("commitment %+v", c)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "timeseries.csv"))
	if lines := strings.Count(string(csv), "\n"); lines != 841 || !strings.Contains(string(csv), ",in_service_mean,in_service_max,desired_max,cpu_percent_max\n") {
		t.Errorf("timeseries.csv: %d lines; header %q", lines, strings.SplitN(string(csv), "\n", 2)[0])
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	for _, want := range []string{"Months and commitments", "2027-02 (partial)", `id="months_cost"`, `id="commitment"`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}

	js := filepath.Join(out, "minutes.json")
	if code, _, errs := capsim(t, "run", "--quiet", "--resolution", "1m", "--json", js, p); code != 0 {
		t.Fatalf("--resolution 1m: exit %d: %s", code, errs)
	}
	b, _ = os.ReadFile(js)
	doc.SeriesResolutionS, doc.Timeseries = 0, nil
	if err := json.Unmarshal(b, &doc); err != nil || doc.SeriesResolutionS != 0 || len(doc.Timeseries) != 35*24*60 || len(doc.Summary.Months) != 2 {
		t.Errorf("--resolution 1m: %d rows, resolution %d, %d months, %v", len(doc.Timeseries), doc.SeriesResolutionS, len(doc.Summary.Months), err)
	}
	if code, _, errs := capsim(t, "run", "--quiet", "--resolution", "7m", "--json", js, p); code != 2 || !strings.Contains(errs, "dividing a day") {
		t.Errorf("--resolution 7m: exit %d, stderr %q", code, errs)
	}
}
