package reports

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

// TestProviderCSVColumns: with several capacity providers the CSV ends
// with each provider's columns, in strategy order, holding the JSON's
// capacity_providers values; with one provider (or none) the CSV is as
// before (docs/outputs.md).
func TestProviderCSVColumns(t *testing.T) {
	res := 150.0
	row := func(providers []ProviderRow) Row {
		return Row{Time: "1970-01-01T00:00:00Z", RowECS: &RowECS{TasksRunning: 6, TasksPending: 2, CapacityProviderReservation: &res,
			CapacityProviders: providers}}
	}
	two := []ProviderRow{{Name: "od", CapacityProviderReservation: 100, InService: 2, Pending: 0, Desired: 2, TasksRunning: 3, TasksPending: 0},
		{Name: "spot", CapacityProviderReservation: 150, InService: 2, Pending: 1, Desired: 3, TasksRunning: 3, TasksPending: 2}}
	read := func(d *Document) [][]string {
		var b bytes.Buffer
		if err := WriteCSV(&b, d); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	base := append(append([]string(nil), CSVHeader...), ecsCSVHeader...)
	one := read(&Document{Timeseries: []Row{row(nil)}})
	if !slices.Equal(one[0], base) {
		t.Errorf("one provider: header %v, want %v", one[0], base)
	}
	rows := read(&Document{Timeseries: []Row{row(two), row(two)}})
	head := rows[0]
	if !slices.Equal(head[:len(base)], base) {
		t.Fatalf("several providers moved the other columns: %v", head)
	}
	wantHead := []string{"cp_od_reservation", "cp_od_in_service", "cp_od_pending", "cp_od_desired", "cp_od_tasks_running", "cp_od_tasks_pending",
		"cp_spot_reservation", "cp_spot_in_service", "cp_spot_pending", "cp_spot_desired", "cp_spot_tasks_running", "cp_spot_tasks_pending"}
	if !slices.Equal(head[len(base):], wantHead) {
		t.Errorf("provider columns %v, want %v", head[len(base):], wantHead)
	}
	want := []string{"100", "2", "0", "2", "3", "0", "150", "2", "1", "3", "3", "2"}
	for _, r := range rows[1:] {
		if len(r) != len(head) || !slices.Equal(r[len(base):], want) {
			t.Errorf("row %v, want the providers' %v at the end", r, want)
		}
	}
}
