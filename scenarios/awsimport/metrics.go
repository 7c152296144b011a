package awsimport

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// TraceRequest says which load balancer's requests to fetch.
type TraceRequest struct {
	LoadBalancer string // app/NAME/ID
	TargetGroup  string // targetgroup/NAME/ID, optional
	Start, End   time.Time
	Period       time.Duration // a multiple of 60s (default 60s)
}

// TraceStats counts what RequestCountTrace wrote.
type TraceStats struct {
	Rows     int     // one per period from Start to End
	Missing  int     // periods without a RequestCount datapoint, written as 0
	Requests float64 // total
	Pages    int     // GetMetricData calls
}

// RequestCountTrace fetches the ALB's RequestCount (Sum) and
// TargetResponseTime (Average) per period with GetMetricData, every page,
// and writes a rate-csv trace: time_utc, unix_ts, requests,
// target_response_time_s. A period without a RequestCount datapoint is 0
// requests (the ALB publishes only when requests flow, docs/aws-model.md
// §6.4); its response time is left empty. StartTime is inclusive and
// EndTime exclusive, as in CloudWatch; both are aligned down to the
// period.
func RequestCountTrace(ctx context.Context, cw *cloudwatch.Client, q TraceRequest, w io.Writer) (TraceStats, error) {
	var st TraceStats
	if err := q.Check(); err != nil {
		return st, err
	}
	period := q.Period
	if period == 0 {
		period = time.Minute
	}
	start, end := q.Start.UTC().Truncate(period), q.End.UTC().Truncate(period)
	dims := []cwtypes.Dimension{{Name: aws.String("LoadBalancer"), Value: aws.String(q.LoadBalancer)}}
	if q.TargetGroup != "" {
		dims = append(dims, cwtypes.Dimension{Name: aws.String("TargetGroup"), Value: aws.String(q.TargetGroup)})
	}
	return fetch(ctx, cw, dims, start, end, period, w)
}

// Check reports a request AWS would refuse, before any call.
func (q TraceRequest) Check() error {
	if !strings.HasPrefix(q.LoadBalancer, "app/") || strings.Count(q.LoadBalancer, "/") != 2 {
		return fmt.Errorf("load balancer %q: give the ALB's dimension value app/NAME/ID (the end of its ARN)", q.LoadBalancer)
	}
	if q.TargetGroup != "" && (!strings.HasPrefix(q.TargetGroup, "targetgroup/") || strings.Count(q.TargetGroup, "/") != 2) {
		return fmt.Errorf("target group %q: give targetgroup/NAME/ID (the end of its ARN)", q.TargetGroup)
	}
	period := q.Period
	if period == 0 {
		period = time.Minute
	}
	if period < time.Minute || period%time.Minute != 0 {
		return fmt.Errorf("period %v: must be a multiple of 60s", period)
	}
	start, end := q.Start.UTC().Truncate(period), q.End.UTC().Truncate(period)
	if !start.Before(end) {
		return fmt.Errorf("start %s is not before end %s (after aligning to %v)", q.Start.Format(time.RFC3339), q.End.Format(time.RFC3339), period)
	}
	if n := end.Sub(start) / period; n > 5_000_000 {
		return fmt.Errorf("%d periods of %v: import a shorter span", n, period)
	}
	return nil
}

func fetch(ctx context.Context, cw *cloudwatch.Client, dims []cwtypes.Dimension, start, end time.Time, period time.Duration, w io.Writer) (TraceStats, error) {
	var st TraceStats
	sec := int32(period / time.Second)
	query := func(id, metric, stat string) cwtypes.MetricDataQuery {
		return cwtypes.MetricDataQuery{
			Id: aws.String(id),
			MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{Namespace: aws.String("AWS/ApplicationELB"), MetricName: aws.String(metric), Dimensions: dims},
				Period: aws.Int32(sec),
				Stat:   aws.String(stat),
			},
			ReturnData: aws.Bool(true),
		}
	}
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start),
		EndTime:   aws.Time(end),
		ScanBy:    cwtypes.ScanByTimestampAscending,
		MetricDataQueries: []cwtypes.MetricDataQuery{
			query("requests", "RequestCount", "Sum"),
			query("latency", "TargetResponseTime", "Average"),
		},
	}
	// One slot per period: a dense array, not a map, so memory is 16 bytes
	// a period whatever the pages' order.
	n := int(end.Sub(start) / period)
	counts := make([]float64, n)
	have := make([]bool, n)
	lat := make([]float64, n)
	haveLat := make([]bool, n)
	p := cloudwatch.NewGetMetricDataPaginator(cw, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return st, fmt.Errorf("CloudWatch GetMetricData: %w", err)
		}
		st.Pages++
		for _, r := range page.MetricDataResults {
			if r.StatusCode == cwtypes.StatusCodeInternalError || r.StatusCode == cwtypes.StatusCodeForbidden {
				return st, fmt.Errorf("CloudWatch GetMetricData: query %s: status %s", aws.ToString(r.Id), r.StatusCode)
			}
			if len(r.Timestamps) != len(r.Values) {
				return st, fmt.Errorf("CloudWatch GetMetricData: query %s: %d timestamps but %d values", aws.ToString(r.Id), len(r.Timestamps), len(r.Values))
			}
			for i, t := range r.Timestamps {
				k := int(t.UTC().Sub(start) / period)
				if k < 0 || k >= n || !t.UTC().Equal(start.Add(time.Duration(k)*period)) {
					continue // not a period this import asked for
				}
				switch aws.ToString(r.Id) {
				case "requests":
					counts[k], have[k] = r.Values[i], true
				case "latency":
					lat[k], haveLat[k] = r.Values[i], true
				}
			}
		}
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "time_utc,unix_ts,requests,target_response_time_s")
	for k := 0; k < n; k++ {
		t := start.Add(time.Duration(k) * period)
		if !have[k] {
			st.Missing++
		}
		st.Requests += counts[k]
		l := ""
		if haveLat[k] {
			l = strconv.FormatFloat(lat[k], 'f', -1, 64)
		}
		fmt.Fprintf(bw, "%s,%d,%s,%s\n", t.Format(time.RFC3339), t.Unix(), strconv.FormatFloat(counts[k], 'f', -1, 64), l)
		st.Rows++
	}
	return st, bw.Flush()
}
