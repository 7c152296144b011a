package traces

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// TraceOptions is how to read a trace of any format, as the scenario's
// traffic.trace gives it: Rate for rate-csv, Log for the request logs.
type TraceOptions struct {
	Format string
	Rate   RateCSVOptions
	Log    LogOptions
}

// TraceSummary is what trace inspect reports.
type TraceSummary struct {
	Name, Format string
	Start, End   time.Time
	Requests     float64
	MeanRPS      float64
	PeakRPS      float64 // busiest second (logs) or row (rate-csv)
	PeakMinute   float64 // requests in the busiest minute (aligned to UTC minutes)
	Rows         int     // rate-csv rows or log requests
	Skipped      int     // unparseable lines skipped (logs)
	FirstSkipped []int
	Reordered    int64
	Gaps         []Gap // stretches of at least GapThreshold without data (the first 1000)
	GapCount     int
	GapTime      time.Duration
	GapThreshold time.Duration
	// InterArrivalCV is the coefficient of variation of the times between
	// consecutive requests (logs only; NaN for a rate series): 1 for a
	// Poisson process, more for bursty traffic.
	InterArrivalCV float64
	// Series is requests per SeriesStep from Start, at most 4096 points.
	Series     []float64
	SeriesStep time.Duration
}

// Duration is End − Start.
func (s *TraceSummary) Duration() time.Duration { return s.End.Sub(s.Start) }

// series keeps request counts per step from a start, doubling the step
// whenever it would need more than maxSeries points: bounded memory for a
// trace of any length.
type series struct {
	start int64
	step  int64
	v     []float64
	set   bool
}

const maxSeries = 4096

func (s *series) add(at int64, n float64) {
	if !s.set {
		s.start, s.set = at, true
		if s.step == 0 {
			s.step = int64(time.Second)
		}
	}
	i := (at - s.start) / s.step
	if i < 0 {
		i = 0
	}
	for i >= maxSeries {
		for j := 0; j < len(s.v); j += 2 {
			x := s.v[j]
			if j+1 < len(s.v) {
				x += s.v[j+1]
			}
			s.v[j/2] = x
		}
		s.v = s.v[:(len(s.v)+1)/2]
		s.step *= 2
		i = (at - s.start) / s.step
	}
	for int64(len(s.v)) <= i {
		s.v = append(s.v, 0)
	}
	s.v[i] += n
}

// span spreads rate × time over [from, to) in pieces no longer than step.
func (s *series) span(from, to int64, rate float64) {
	for from < to {
		if !s.set {
			s.add(from, 0)
		}
		end := s.start + ((from-s.start)/s.step+1)*s.step
		end = min(end, to)
		s.add(from, rate*float64(end-from)/1e9)
		from = end
	}
}

// peakBins tracks the largest count in fixed, epoch-aligned bins of
// increasing time.
type peakBins struct {
	width int64
	cur   int64
	n     float64
	peak  float64
	set   bool
}

func (p *peakBins) add(at int64, n float64) {
	b := floorDiv(at, p.width)
	if !p.set || b != p.cur {
		p.cur, p.n, p.set = b, 0, true
	}
	p.n += n
	p.peak = max(p.peak, p.n)
}

// InspectTrace reads a trace once, streaming, and summarises it.
func InspectTrace(r io.Reader, name string, o TraceOptions) (*TraceSummary, error) {
	sum := &TraceSummary{Name: name, Format: o.Format, InterArrivalCV: math.NaN()}
	var ser series
	minute := peakBins{width: int64(time.Minute)}
	if IsLogFormat(o.Format) {
		l, err := NewRequestLog(r, name, o.Format, o.Log)
		if err != nil {
			return nil, err
		}
		second := peakBins{width: int64(time.Second)}
		var last int64
		var n, mean, m2 float64 // Welford on inter-arrival times
		for rec, err := range l.Records() {
			if err != nil {
				return nil, err
			}
			if sum.Rows == 0 {
				sum.Start = time.Unix(0, rec.At).UTC()
			} else {
				x := float64(rec.At-last) / 1e9
				n++
				d := x - mean
				mean += d / n
				m2 += d * (x - mean)
			}
			last = rec.At
			sum.Rows++
			ser.add(rec.At, 1)
			second.add(rec.At, 1)
			minute.add(rec.At, 1)
		}
		st := l.Stats()
		sum.End = time.Unix(0, last).UTC().Add(time.Second)
		sum.Requests = float64(sum.Rows)
		sum.PeakRPS = second.peak
		sum.Skipped, sum.FirstSkipped, sum.Reordered = st.Bad, st.FirstBad, st.Reordered
		sum.Gaps, sum.GapCount, sum.GapTime = st.Gaps, st.GapCount, st.GapTime
		sum.GapThreshold = time.Duration(o.Log.Gaps.threshold())
		if n > 1 && mean > 0 {
			sum.InterArrivalCV = math.Sqrt(m2/(n-1)) / mean
		}
	} else if o.Format == RateCSVFormat {
		c, err := NewRateCSV(r, name, o.Rate)
		if err != nil {
			return nil, err
		}
		iv := c.interval
		thr := o.Rate.Gaps.threshold()
		sum.GapThreshold = time.Duration(thr)
		var prev csvRow
		for row, err := range c.allRows() {
			if err != nil {
				return nil, err
			}
			if sum.Rows == 0 {
				sum.Start = time.Unix(0, row.t).UTC()
			} else if gap := row.t - (prev.t + iv); gap > 0 && gap >= thr {
				sum.GapCount++
				sum.GapTime += time.Duration(gap)
				if len(sum.Gaps) < maxListedGaps {
					sum.Gaps = append(sum.Gaps, Gap{From: time.Unix(0, prev.t+iv).UTC(), To: time.Unix(0, row.t).UTC(), Line: row.line})
				}
			}
			rate := c.rateOf(row)
			sum.Rows++
			sum.Requests += rate * float64(iv) / 1e9
			sum.PeakRPS = max(sum.PeakRPS, rate)
			ser.span(row.t, row.t+iv, rate)
			// Per-minute peak: exact when rows are a minute or shorter.
			for t := row.t; t < row.t+iv; {
				end := min(row.t+iv, (floorDiv(t, int64(time.Minute))+1)*int64(time.Minute))
				minute.add(t, rate*float64(end-t)/1e9)
				t = end
			}
			prev = row
		}
		sum.End = time.Unix(0, prev.t+iv).UTC()
	} else {
		return nil, fmt.Errorf("%s: unknown trace format %q (known: %s)", name, o.Format, strings.Join(Names(), ", "))
	}
	sum.PeakMinute = minute.peak
	if d := sum.Duration().Seconds(); d > 0 {
		sum.MeanRPS = sum.Requests / d
	}
	sum.Series, sum.SeriesStep = ser.v, time.Duration(ser.step)
	return sum, nil
}

// Sparkline draws values as a row of at most width block characters
// (▁ to █), each the mean of its share of the values.
func Sparkline(values []float64, width int) string {
	if len(values) == 0 || width < 1 {
		return ""
	}
	per := (len(values) + width - 1) / width
	var cols []float64
	hi := 0.0
	for i := 0; i < len(values); i += per {
		s, n := 0.0, 0
		for j := i; j < min(i+per, len(values)); j++ {
			s += values[j]
			n++
		}
		cols = append(cols, s/float64(n))
		hi = max(hi, s/float64(n))
	}
	ticks := []rune("▁▂▃▄▅▆▇█")
	var b strings.Builder
	for _, v := range cols {
		i := 0
		if hi > 0 {
			i = int(v / hi * float64(len(ticks)-1))
		}
		b.WriteRune(ticks[min(max(i, 0), len(ticks)-1)])
	}
	return b.String()
}

// ConvertToRateCSV writes a trace as a rate-csv of requests per interval,
// one row per epoch-aligned interval from the first request to the last,
// with columns time_utc (RFC 3339), unix_ts and requests. Intervals
// without requests are rows of 0: the reader's gap policy has already
// said what missing data means.
func ConvertToRateCSV(w io.Writer, r io.Reader, name string, o TraceOptions, interval time.Duration) error {
	if interval <= 0 {
		return fmt.Errorf("interval must be greater than 0")
	}
	bw := bufio.NewWriter(w)
	iv := int64(interval)
	var cur int64
	var count float64
	set := false
	emit := func() {
		t := time.Unix(0, cur).UTC()
		fmt.Fprintf(bw, "%s,%s,%s\n", t.Format(time.RFC3339Nano), strconv.FormatFloat(float64(cur)/1e9, 'f', -1, 64), strconv.FormatFloat(round9(count), 'f', -1, 64))
	}
	add := func(at int64, n float64) {
		b := floorDiv(at, iv) * iv
		if !set {
			cur, set = b, true
		}
		for cur < b {
			emit()
			count = 0
			cur += iv
		}
		count += n
	}
	fmt.Fprintln(bw, "time_utc,unix_ts,requests")
	if IsLogFormat(o.Format) {
		l, err := NewRequestLog(r, name, o.Format, o.Log)
		if err != nil {
			return err
		}
		for rec, err := range l.Records() {
			if err != nil {
				return err
			}
			add(rec.At, 1)
		}
	} else if o.Format == RateCSVFormat {
		c, err := NewRateCSV(r, name, o.Rate)
		if err != nil {
			return err
		}
		origin := c.origin
		for seg, err := range c.Segments() {
			if err != nil {
				return err
			}
			from, to := int64(seg.Start)+origin, int64(seg.End)+origin
			for from < to {
				end := min(to, (floorDiv(from, iv)+1)*iv)
				add(from, seg.Rate*float64(end-from)/1e9)
				from = end
			}
		}
	} else {
		return fmt.Errorf("%s: unknown trace format %q", name, o.Format)
	}
	if set {
		emit()
	}
	return bw.Flush()
}

// round9 drops float noise from spread-out counts.
func round9(x float64) float64 { return math.Round(x*1e9) / 1e9 }

// ConvertToRequestsCSV writes a request log as requests-csv: time
// (RFC 3339, UTC, to the nanosecond), then duration_s when the log records
// service times and demand_s when a demand model is given.
func ConvertToRequestsCSV(w io.Writer, r io.Reader, name string, o TraceOptions) error {
	if !IsLogFormat(o.Format) {
		return fmt.Errorf("%s: only a request log (%s) converts to requests-csv, not %s", name, strings.Join(LogNames(), ", "), o.Format)
	}
	l, err := NewRequestLog(r, name, o.Format, o.Log)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	f, _ := Lookup(o.Format)
	withDur := f.Durations && !f.Takes("duration_column") || o.Log.DurationColumn != ""
	withDemand := o.Log.Demand != nil
	head := "time"
	if withDur {
		head += ",duration_s"
	}
	if withDemand {
		head += ",demand_s"
	}
	fmt.Fprintln(bw, head)
	for rec, err := range l.Records() {
		if err != nil {
			return err
		}
		bw.WriteString(time.Unix(0, rec.At).UTC().Format(time.RFC3339Nano))
		if withDur {
			bw.WriteByte(',')
			if !math.IsNaN(rec.Duration) {
				bw.WriteString(strconv.FormatFloat(rec.Duration, 'f', -1, 64))
			}
		}
		if withDemand {
			bw.WriteByte(',')
			if rec.Demand >= 0 {
				bw.WriteString(strconv.FormatFloat(rec.Demand, 'f', -1, 64))
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
