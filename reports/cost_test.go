package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/capsim/capsim/pricing"
	"github.com/capsim/capsim/sim"
)

// TestCostSummary: rates are the total over the simulated hours, idle
// capacity is paid minus busy vCPU time, the what-if and warnings come
// through, and the old keys keep their meaning.
func TestCostSummary(t *testing.T) {
	res := &sim.Result{Duration: 2 * sim.Hour, Requests: sim.RequestCounts{Total: 1_000_000, Completed: 1_000_000},
		Instances: []sim.InstanceRecord{{Type: "m5.large", Launch: 0, Terminated: 2 * sim.Hour, Running: true, PurchaseOption: "on_demand", VCPU: 2, BusySeconds: 3600}}}
	plan := pricing.Plan{OnDemand: func(string) float64 { return 0.096 }, WhatIfDiscount: 0.3,
		Reserved: []pricing.Reservation{{Type: "c5.large", Count: 1, USDPerHour: 0.05}}}
	bill := pricing.Charge(plan, res)
	d := Build(Input{Result: res, Bill: bill, PriceSource: "src", PriceList: pricing.Embedded(), Start: time.Unix(0, 0)})
	c := d.Summary.Cost
	total := 2*0.096 + 2*0.05
	if c.TotalUSD != total || c.Rates.PerHourUSD != total/2 || c.Rates.PerDayUSD != round(total/2*24, 4) || c.MonthlyProjectionUSD != round(total/2*730, 2) {
		t.Errorf("total %g, rates %+v, month %g", c.TotalUSD, c.Rates, c.MonthlyProjectionUSD)
	}
	if c.PerMillionRequestsUSD != round(total, 6) {
		t.Errorf("per million %g", c.PerMillionRequestsUSD)
	}
	if c.Idle.PaidVCPUHours != 4 || c.Idle.BusyVCPUHours != 1 || c.Idle.IdleShare != 0.75 || c.Idle.IdleUSD != round(total*0.75, 6) {
		t.Errorf("idle %+v", c.Idle)
	}
	if c.ByLine["on_demand"] != 0.192 || c.ByLine["reserved_instances"] != 0.1 || c.ByPurchaseOption["reserved"] != 0.1 || c.ByInstanceType["c5.large"] != 0.1 {
		t.Errorf("lines %v, options %v, types %v", c.ByLine, c.ByPurchaseOption, c.ByInstanceType)
	}
	if c.PriceList.Date != pricing.CatalogueDate || c.PriceList.Region != "us-east-1" || c.PriceList.OS != "linux" {
		t.Errorf("price list %+v", c.PriceList)
	}
	if len(c.Warnings) != 1 || c.SavingsPlanWhatIf == nil || c.SavingsPlanWhatIf.BestUSDPerHour != round(0.096*0.7, 6) {
		t.Errorf("warnings %q, what-if %+v", c.Warnings, c.SavingsPlanWhatIf)
	}
	var buf bytes.Buffer
	if err := WriteSummary(&buf, d); err != nil {
		t.Fatal(err)
	}
	// The RI covers nothing, so all on-demand is cheaper than the bill, and
	// cheaper than the what-if, which keeps the RIs.
	for _, w := range []string{"cost lines", "on-demand $0.1920 · Reserved Instances $0.1000", "idle capacity", "75 % of paid vCPU time",
		"savings plan what-if   commit $0.0672/h to one compute Savings Plan (an assumed 30 % discount off on-demand) → bill $0.2344",
		"$0.0576 (19.7 %) less than the current set-up ($0.2920); $0.0424 (22.1 %) more than all on-demand ($0.1920)",
		"commitments above $0.096/h cost more than no Savings Plan ($0.2920)", "warning",
		"simulated              2 h from t = 0 (no start set; 1970-01-01T00:00:00Z)"} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("summary lacks %q:\n%s", w, buf.String())
		}
	}
	buf.Reset()
	if err := WriteJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	var raw map[string]map[string]map[string]any
	json.Unmarshal(buf.Bytes(), &raw)
	for _, k := range []string{"total_usd", "by_purchase_option", "by_instance_type", "per_million_requests_usd", "by_line", "rates", "idle_capacity", "savings_plan_what_if"} {
		if _, ok := raw["summary"]["cost"][k]; !ok {
			t.Errorf("JSON summary.cost lacks %q", k)
		}
	}
}
