package reports

import "encoding/json"

// UnmarshalJSON reads a document back, keeping its resolved scenario as
// the raw JSON it was written as: decoded into a map, its keys would come
// back sorted, and a merged sweep would no longer equal, byte for byte,
// the one-machine sweep it stands for.
func (d *Document) UnmarshalJSON(b []byte) error {
	type plain Document // without this method
	var raw json.RawMessage
	p := plain{Scenario: &raw}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*d = Document(p)
	d.Scenario = nil
	if raw != nil {
		d.Scenario = raw
	}
	return nil
}
