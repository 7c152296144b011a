package sim

// eventKind says what an event does when it fires.
type eventKind uint8

const (
	evArrival     eventKind = iota + 1 // the next request arrives
	evDeparture                        // a request finishes service on inst
	evTick                             // metric periods, policy evaluation, time series
	evBooted                           // inst finished booting; health checks start
	evHealthy                          // inst passed its initial health checks: InService
	evWarm                             // inst finished its warm-up
	evDrained                          // inst's deregistration delay ended
	evHookDone                         // inst's launch lifecycle hook finished (or timed out)
	evFail                             // inst fails
	evDetected                         // inst's failure is detected: replace it
	evPoolReady                        // a warm-pool instance finished initialising
	evSpotNotice                       // inst (spot) gets its 2-minute interruption notice
	evSpotReclaim                      // inst (spot) is reclaimed
	evHostReady                        // ECS: container instance inst registered with the cluster
	evFluidStep                        // fluid mode: the queues advance one step (sim/fluid.go)
	evDeploy                           // ECS: deployment inst of the service starts (sim/ecs_deploy.go)
)

// event is a small value: no pointers, no interfaces, so the heap is one
// flat slice the garbage collector never scans.
type event struct {
	at   Time
	seq  uint64
	arr  Time // evDeparture: the request's arrival time
	inst int32
	kind eventKind
}

func (a *event) before(b *event) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// eventQueue is a 4-ary min-heap on (time, sequence). Ties resolve by
// insertion order, so every run takes the same path. A 4-ary heap is
// shallower than a binary one and its children share cache lines
// (docs/performance.md: 40 ns per hold at 16 pending events).
//
// The loop handles the earliest event while it is still at the root
// (holding): the first event pushed while handling it takes its place with
// a single sift-down, instead of a pop (sift-down) and a push (sift-up).
// Most events schedule exactly one follow-up (the next arrival, the next
// departure on the freed slot), so this halves the heap work.
type eventQueue struct {
	ev      []event
	seq     uint64
	holding bool // ev[0] has been handed out and may be overwritten
}

func (q *eventQueue) len() int { return len(q.ev) }

// hold returns the earliest event and leaves it at the root until the next
// push replaces it or release removes it.
func (q *eventQueue) hold() event {
	q.holding = true
	return q.ev[0]
}

// release removes the held event if no push has replaced it.
func (q *eventQueue) release() {
	if q.holding {
		q.holding = false
		q.pop()
	}
}

func (q *eventQueue) push(e event) {
	q.seq++
	e.seq = q.seq
	if q.holding {
		q.holding = false
		q.siftDown(e)
		return
	}
	q.ev = append(q.ev, e)
	i := len(q.ev) - 1
	for i > 0 {
		p := (i - 1) / 4
		if !q.ev[i].before(&q.ev[p]) {
			break
		}
		q.ev[i], q.ev[p] = q.ev[p], q.ev[i]
		i = p
	}
}

func (q *eventQueue) pop() event {
	top := q.ev[0]
	n := len(q.ev) - 1
	last := q.ev[n]
	q.ev = q.ev[:n]
	if n > 0 {
		q.siftDown(last)
	}
	return top
}

// siftDown places e at the root and restores heap order.
func (q *eventQueue) siftDown(e event) {
	h := q.ev
	n := len(h)
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := c + 4
		if end > n {
			end = n
		}
		for j := c + 1; j < end; j++ {
			if h[j].before(&h[m]) {
				m = j
			}
		}
		if !h[m].before(&e) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = e
}
