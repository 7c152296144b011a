package sim

// state is an instance's lifecycle state (docs/aws-model.md §1.8).
type state uint8

const (
	pending     state = iota // launched, booting
	registering              // booted and registered; initial health checks running
	inService                // healthy, routable
	draining                 // deregistered: in-flight requests finish, no new ones
	terminated
	numStates
)

// active says whether an instance in state s makes up current capacity:
// pending, registering or in service (docs/aws-model.md §1.8).
func (s state) active() bool { return s <= inService }

// String names the state for debugging.
func (s state) String() string {
	return [...]string{"pending", "registering", "in-service", "draining", "terminated"}[s]
}

// queued is a request waiting for a worker slot.
type queued struct {
	arr Time // arrival at the load balancer
	svc Time // service time on this instance
}

// instance is one EC2 instance. Requests are served FCFS on slots worker
// slots (its vCPUs); the rest wait in a bounded ring buffer.
type instance struct {
	// The fields every request or fluid step reads come first, in the
	// first two cache lines (docs/performance.md); the rest follow.
	state       state
	warming     bool
	slowStart   bool // ramping up its share of requests
	spot        bool // a spot instance
	zone        int32
	slots       int32
	busy        int32 // slots in use
	outstanding int32 // busy + queued
	// fluidQueued is fluid mode's mean queue length over the last step
	// (sim/fluid.go); 0 in request mode, where the ring buffer holds them.
	fluidQueued int32
	speed       float64
	pos         int32 // position in the routable list, -1 when not routable (see router)
	zpos        int32 // position in its zone's routable list (cross-zone off)
	interrupted bool  // reclaimed by EC2 (spot)
	throttled   bool  // out of CPU credits: running at the throttled speed
	protected   bool  // protected from scale-in
	failed      bool  // failed: every request to it errors until replaced
	fromPool    bool  // launched from the warm pool
	hooked      bool  // its launch hook has run
	hookAbandon bool  // its launch hook times out with ABANDON
	ps          bool  // an ECS task whose requests share its cpuNow (sim/ps.go)
	burst       bool  // an ECS task with CPU shares: cpuNow depends on its instance's other tasks (sim/shares.go)
	routed      int64 // requests routed to it
	busyArea    Time  // slot-nanoseconds of service so far

	inServiceAt Time
	areaAt      Time // when busyArea was last brought up to date
	// cpuCap is an ECS task's reserved vCPUs (cpu ÷ 1024); cpuNow the
	// vCPUs its running requests share now (ps when fewer than its slots):
	// cpuCap under a task-level limit, its CPU share of the instance with
	// CPU shares (sim/shares.go).
	cpuCap float64
	cpuNow float64

	// ring buffer of waiting requests
	q    []queued
	head int
	n    int

	routedAt     int64   // routed at the start of the current metric period
	lastCPU      float64 // CPU % over the last metric period
	periodArea   Time    // busyArea at the start of the current metric period
	minuteArea   Time    // busyArea at the start of the current minute
	credits      CreditMeter
	cpuByMinute  []float32
	launch       Time
	terminatedAt Time
}

// accrue brings the busy-slot integral up to now; call before busy changes.
func (in *instance) accrue(now Time) {
	in.busyArea = in.busyAreaAt(now)
	in.areaAt = now
}

// busyAreaAt is busyArea brought up to now without storing it: busy slots
// over the time since areaAt, or for a task sharing its CPU
// (sim/ps.go) the slots' worth of CPU it is using.
func (in *instance) busyAreaAt(now Time) Time {
	if in.cpuCap > 0 {
		return in.busyArea + Time(in.sharedUse()*float64(now-in.areaAt))
	}
	return in.busyArea + Time(in.busy)*(now-in.areaAt)
}

func (in *instance) enqueue(r queued) {
	if in.n == len(in.q) {
		grown := make([]queued, max(16, 2*len(in.q)))
		for i := 0; i < in.n; i++ {
			grown[i] = in.q[(in.head+i)&(len(in.q)-1)]
		}
		in.q, in.head = grown, 0
	}
	in.q[(in.head+in.n)&(len(in.q)-1)] = r
	in.n++
}

func (in *instance) dequeue() queued {
	r := in.q[in.head]
	in.head = (in.head + 1) & (len(in.q) - 1)
	in.n--
	return r
}
