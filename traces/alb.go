package traces

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/capsim/capsim/internal/bounded"
)

// albParser reads AWS Application Load Balancer access log lines: fields
// separated by spaces, some of them in double quotes,
//
//	type time elb client:port target:port request_processing_time
//	target_processing_time response_processing_time elb_status_code
//	target_status_code received_bytes sent_bytes "request" "user_agent"
//	ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name"
//	"chosen_cert_arn" matched_rule_priority request_creation_time ...
//
// (Elastic Load Balancing User Guide, "Access log entries"). A request
// arrives at request_creation_time when the line has it, else at time
// (when the response was sent) less the three processing times. A
// processing time of -1 means the request never reached a target; its
// recorded duration is then missing. target_processing_time is the
// duration fit-workload fits.
type albParser struct {
	demand int // field index of the demand column, or -1
	model  *Demand
	fields [][]byte
}

// albColumns are the numeric fields a demand model may use.
var albColumns = map[string]int{
	"request_processing_time":  5,
	"target_processing_time":   6,
	"response_processing_time": 7,
	"received_bytes":           10,
	"sent_bytes":               11,
}

var albTypes = map[string]bool{"http": true, "https": true, "h2": true, "grpcs": true, "ws": true, "wss": true}

// albFormat is an AWS Application Load Balancer access log; its
// target_processing_time is a recorded service time.
var albFormat = Format{Name: "alb", Log: true, Durations: true, sniffed: true, open: lineFormat(newALBSource)}

func newALBSource(r io.Reader, o LogOptions) (*lineSource, error) {
	p := &albParser{demand: -1, model: o.Demand}
	if o.Demand != nil {
		i, ok := albColumns[o.Demand.Column]
		if !ok {
			return nil, fmt.Errorf("demand column %s: an alb log has request_processing_time, target_processing_time, response_processing_time, received_bytes and sent_bytes", bounded.Quote(o.Demand.Column))
		}
		p.demand = i
	}
	return newLineSource(r, p.parse), nil
}

// splitALB splits a line into fields; a quoted field loses its quotes.
func splitALB(b []byte, out [][]byte) ([][]byte, error) {
	out = out[:0]
	for i := 0; i < len(b); {
		if b[i] == ' ' {
			i++
			continue
		}
		if b[i] == '"' {
			q := closingQuote(b[i+1:])
			if q < 0 {
				return nil, fmt.Errorf("field %d: the quoted field is not closed", len(out)+1)
			}
			out = append(out, b[i+1:i+1+q])
			i += q + 2
			if i < len(b) && b[i] != ' ' {
				return nil, fmt.Errorf("field %d: no space after the closing quote", len(out))
			}
			continue
		}
		j := i
		for j < len(b) && b[j] != ' ' {
			j++
		}
		out = append(out, b[i:j])
		i = j
	}
	return out, nil
}

func (p *albParser) parse(b []byte) (LogRecord, error) {
	f, err := splitALB(b, p.fields)
	if err != nil {
		return LogRecord{}, err
	}
	p.fields = f
	if len(f) > 0 && !albTypes[string(f[0])] {
		return LogRecord{}, fmt.Errorf("type %s is not http, https, h2, grpcs, ws or wss: not an ALB access log line", bounded.Quote(clip(f[0])))
	}
	if len(f) < 13 {
		return LogRecord{}, fmt.Errorf("%d field(s); an ALB access log line has at least 13 (type time elb client target 3 processing times 2 status codes 2 byte counts \"request\")", len(f))
	}
	if !albTypes[string(f[0])] {
		return LogRecord{}, fmt.Errorf("type %s is not http, https, h2, grpcs, ws or wss: not an ALB access log line", bounded.Quote(clip(f[0])))
	}
	sent, err := albTime(f[1])
	if err != nil {
		return LogRecord{}, fmt.Errorf("time: %v", err)
	}
	var pt [3]float64
	for i := range pt {
		v, err := strconv.ParseFloat(string(f[5+i]), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < -1 || v > 1e6 {
			return LogRecord{}, fmt.Errorf("field %d (%s): %s is not a time in seconds or -1", 6+i, albName(5+i), bounded.Quote(clip(f[5+i])))
		}
		pt[i] = v
	}
	for _, i := range []int{10, 11} {
		if _, ok := clfNumber(f[i], 19); !ok {
			return LogRecord{}, fmt.Errorf("field %d (%s): %s is not a byte count", i+1, albName(i), bounded.Quote(clip(f[i])))
		}
	}
	at := sent
	if len(f) > 21 && string(f[21]) != "-" {
		if t, err := albTime(f[21]); err == nil {
			at = t
		}
	} else if pt[0] >= 0 && pt[1] >= 0 && pt[2] >= 0 {
		at = sent - int64((pt[0]+pt[1]+pt[2])*1e9)
	}
	rec := LogRecord{At: at, Demand: -1, Duration: math.NaN()}
	if pt[1] >= 0 {
		rec.Duration = pt[1]
	}
	if p.demand >= 0 {
		v, err := strconv.ParseFloat(string(f[p.demand]), 64)
		if err == nil && v >= 0 && !math.IsInf(v, 0) {
			rec.Demand = p.model.Base.Seconds() + p.model.SecondsPerUnit*v
		}
	}
	return rec, nil
}

func albName(i int) string {
	for k, v := range albColumns {
		if v == i {
			return k
		}
	}
	return "?"
}

// albTime parses an ISO 8601 time such as 2018-07-02T22:23:00.186641Z.
func albTime(b []byte) (int64, error) {
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return 0, fmt.Errorf("%s is not an ISO 8601 time", bounded.Quote(clip(b)))
	}
	if t.Before(minTraceTime) || !t.Before(maxTraceTime) {
		return 0, fmt.Errorf("%s is outside 1970–2200", bounded.Quote(clip(b)))
	}
	return t.UnixNano(), nil
}
