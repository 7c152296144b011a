package reports

import (
	"bytes"
	"encoding/json"
	"testing"
)

// A document read back and written again is the same bytes, its scenario's
// keys in the order first written (not sorted, as a map would make them).
func TestDocumentRoundTripKeepsScenarioBytes(t *testing.T) {
	type scenario struct {
		Name  string `json:"name"`
		Fleet struct {
			Max int `json:"max"`
			Min int `json:"min"`
		} `json:"fleet"`
		Alpha string `json:"alpha"`
	}
	sc := scenario{Name: "z", Alpha: "a"}
	sc.Fleet.Max, sc.Fleet.Min = 9, 1
	d := &Document{SchemaVersion: SchemaVersion, Name: "z", Scenario: sc, Timeseries: []Row{}}
	var first bytes.Buffer
	if err := WriteJSON(&first, d); err != nil {
		t.Fatal(err)
	}
	var back Document
	if err := json.Unmarshal(first.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := WriteJSON(&second, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("round trip changed the bytes:\n%s\nthen\n%s", first.Bytes(), second.Bytes())
	}
	var none Document
	if err := json.Unmarshal([]byte(`{"name":"n"}`), &none); err != nil || none.Scenario != nil || none.Name != "n" {
		t.Errorf("a document without a scenario: %+v, %v", none, err)
	}
}
