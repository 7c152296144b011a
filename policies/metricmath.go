package policies

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/capsim/capsim/sim"
)

// Expression is simple metric math over the engine's metrics
// (docs/aws-model.md §2.1, §1.5: an alarm or a target-tracking policy may use an
// expression that returns one series): numbers, metric names, + − × ÷ and
// parentheses, e.g. "errors / request_count * 100". Each metric stands for
// its datapoint's own statistic (Value) in the same period; a period where
// any metric is missing, or a division by zero, is missing.
type Expression struct {
	src  string
	root exprNode
	refs []sim.Metric
}

type exprNode interface {
	eval(vals map[sim.Metric]float64) (float64, bool)
}

type num float64
type ref sim.Metric
type binop struct {
	op   byte
	l, r exprNode
}

func (n num) eval(map[sim.Metric]float64) (float64, bool) { return float64(n), true }
func (r ref) eval(v map[sim.Metric]float64) (float64, bool) {
	x, ok := v[sim.Metric(r)]
	return x, ok
}
func (b binop) eval(v map[sim.Metric]float64) (float64, bool) {
	l, ok1 := b.l.eval(v)
	r, ok2 := b.r.eval(v)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch b.op {
	case '+':
		return l + r, true
	case '-':
		return l - r, true
	case '*':
		return l * r, true
	}
	if r == 0 {
		return 0, false
	}
	return l / r, true
}

// ParseExpression parses metric math; errors say where the problem is.
func ParseExpression(src string) (*Expression, error) {
	p := &exprParser{src: src}
	e := &Expression{src: src}
	p.refs = &e.refs
	root, err := p.sum()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("expression %q: unexpected %q at character %d", src, p.src[p.pos:], p.pos+1)
	}
	if len(e.refs) == 0 {
		return nil, fmt.Errorf("expression %q names no metric", src)
	}
	e.root = root
	return e, nil
}

func (e *Expression) String() string { return e.src }

// Metrics lists the metrics the expression reads.
func (e *Expression) Metrics() []sim.Metric { return e.refs }

// Datapoints evaluates the expression over the newest n periods visible now.
func (e *Expression) Datapoints(g *sim.Group, now sim.Time, n int) []sim.Datapoint {
	series := make([][]sim.Datapoint, len(e.refs))
	length := -1
	for i, m := range e.refs {
		series[i] = g.Datapoints(m, now)
		if length < 0 || len(series[i]) < length {
			length = len(series[i])
		}
	}
	from := max(0, length-n)
	out := make([]sim.Datapoint, 0, length-from)
	vals := map[sim.Metric]float64{}
	for k := from; k < length; k++ {
		clear(vals)
		d := sim.Datapoint{Start: series[0][k].Start}
		for i, m := range e.refs {
			if p := series[i][k]; !p.Missing {
				vals[m] = p.Value
			}
		}
		v, ok := e.root.eval(vals)
		d.Missing = !ok
		if ok {
			d.Value, d.Sum, d.Min, d.Max, d.Count = v, v, v, v, 1
		}
		out = append(out, d)
	}
	return out
}

type exprParser struct {
	src  string
	pos  int
	refs *[]sim.Metric
}

func (p *exprParser) space() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func (p *exprParser) sum() (exprNode, error) {
	l, err := p.product()
	for err == nil {
		p.space()
		if p.pos >= len(p.src) || (p.src[p.pos] != '+' && p.src[p.pos] != '-') {
			return l, nil
		}
		op := p.src[p.pos]
		p.pos++
		var r exprNode
		if r, err = p.product(); err == nil {
			l = binop{op, l, r}
		}
	}
	return nil, err
}

func (p *exprParser) product() (exprNode, error) {
	l, err := p.atom()
	for err == nil {
		p.space()
		if p.pos >= len(p.src) || (p.src[p.pos] != '*' && p.src[p.pos] != '/') {
			return l, nil
		}
		op := p.src[p.pos]
		p.pos++
		var r exprNode
		if r, err = p.atom(); err == nil {
			l = binop{op, l, r}
		}
	}
	return nil, err
}

func (p *exprParser) atom() (exprNode, error) {
	p.space()
	if p.pos >= len(p.src) {
		return nil, fmt.Errorf("expression %q ends too soon", p.src)
	}
	c := p.src[p.pos]
	switch {
	case c == '(':
		p.pos++
		e, err := p.sum()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return nil, fmt.Errorf("expression %q: missing ) at character %d", p.src, p.pos+1)
		}
		p.pos++
		return e, nil
	case c == '.' || unicode.IsDigit(rune(c)):
		start := p.pos
		for p.pos < len(p.src) && (p.src[p.pos] == '.' || unicode.IsDigit(rune(p.src[p.pos]))) {
			p.pos++
		}
		v, err := strconv.ParseFloat(p.src[start:p.pos], 64)
		if err != nil {
			return nil, fmt.Errorf("expression %q: bad number %q", p.src, p.src[start:p.pos])
		}
		return num(v), nil
	case c == '_' || unicode.IsLetter(rune(c)):
		start := p.pos
		for p.pos < len(p.src) && (p.src[p.pos] == '_' || unicode.IsLetter(rune(p.src[p.pos])) || unicode.IsDigit(rune(p.src[p.pos]))) {
			p.pos++
		}
		name := p.src[start:p.pos]
		m, ok := sim.MetricByName(name)
		if !ok {
			return nil, fmt.Errorf("expression %q: unknown metric %q (known: %s)", p.src, name, strings.Join(sim.MetricNames(), ", "))
		}
		found := false
		for _, r := range *p.refs {
			found = found || r == m
		}
		if !found {
			*p.refs = append(*p.refs, m)
		}
		return ref(m), nil
	}
	return nil, fmt.Errorf("expression %q: unexpected %q at character %d", p.src, c, p.pos+1)
}
