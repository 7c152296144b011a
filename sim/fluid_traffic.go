package sim

import (
	"errors"
	"io"
)

// rateIntegral turns a RateSource into expected arrival counts over
// consecutive spans, for fluid mode: the count over (from, to] is ∫rate,
// the same mean the request mode's arrival process has over that span.
// Segments of any length work: per-second, per-minute, hourly or daily
// series are all integrated exactly.
type rateIntegral struct {
	src  RateSource
	seg  Segment
	at   Time // integrated up to here
	err  error
	done bool
}

func newRateIntegral(src RateSource) *rateIntegral {
	return &rateIntegral{src: src, seg: Segment{Start: -1, End: -1}}
}

// take returns the expected number of arrivals in (at, to] and moves on.
func (r *rateIntegral) take(to Time) float64 {
	n := 0.0
	for r.at < to && !r.done {
		if r.at >= r.seg.End {
			s, err := r.src.NextSegment()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					r.err = err
				}
				r.done = true
				break
			}
			r.seg = s
			continue
		}
		if r.at < r.seg.Start { // a gap in the source: no traffic
			r.at = min(r.seg.Start, to)
			continue
		}
		until := min(to, r.seg.End)
		n += (until - r.at).Seconds() * r.seg.Rate
		r.at = until
	}
	return n
}
