package sim

import "math"

// Service speed of ECS tasks (docs/ecs.md, "Service speed"). A task's
// running requests share the vCPUs it has now, cpuNow, each getting at
// most one vCPU — processor sharing at rate min(1, cpuNow ÷ k) per request
// when k run. Under a task-level limit cpuNow is the task's cap (cpu ÷
// 1024); with cpu shares it is the task's share of its instance's vCPUs
// given what the other tasks there run (sim/shares.go), and changes
// whenever one of them starts or ends a request. With at least as many
// vCPUs as worker slots (and so at least as many as the task's share
// when the instance is busy) a request always has a whole vCPU and the
// ordinary slots apply; with fewer, the task's departures follow the
// shared rate here.
//
// The task's CPU utilisation is the AWS one, CPU used ÷ CPU reserved:
// accrue (through sharedUse) books min(k, cpuNow) ÷ cap of the task's slots as busy,
// above all of them when a task bursts.

// psReq is one request in service on a shared task: when its work is done
// (in the task's virtual time) and when it arrived.
type psReq struct {
	finish float64
	arr    Time
}

// psHeap is a binary min-heap of a task's requests in service by finish,
// written out so that pushing a request allocates nothing (container/heap
// boxes every value).
type psHeap []psReq

func (h *psHeap) push(r psReq) {
	*h = append(*h, r)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p].finish <= a[i].finish {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *psHeap) pop() psReq {
	a := *h
	r := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && a[l].finish < a[m].finish {
			m = l
		}
		if l+1 < n && a[l+1].finish < a[m].finish {
			m = l + 1
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return r
}

// psTask is a shared task's state: v is the work (ns at one vCPU of the
// instance's speed) every request in service has received since the
// task started, brought up to date at vAt; next is the time of the one
// departure event that counts (others are stale).
type psTask struct {
	v    float64
	vAt  Time
	next Time
	reqs psHeap
}

// rate is each request's share of a vCPU with k running.
func (in *instance) rate(k int32) float64 { return min(1, in.cpuNow/float64(k)) }

// advance brings v up to now at the rate of the k requests in service.
func (p *psTask) advance(in *instance, now Time) {
	if in.busy > 0 {
		p.v += in.rate(in.busy) * float64(now-p.vAt)
	}
	p.vAt = now
}

// sharedUse is the slots' worth of CPU a shared task is using now:
// min(k, cpuNow) ÷ cap of its slots.
func (in *instance) sharedUse() float64 {
	return min(float64(in.busy), in.cpuNow) / in.cpuCap * float64(in.slots)
}

// psStart puts a request in service on a shared task.
func (e *engine) psStart(in *instance, id int32, arr, svc Time) {
	now := e.now
	p := &e.ecs.ps[id]
	if in.burst {
		e.hostSync(id)
	} else {
		p.advance(in, now)
		in.accrue(now)
	}
	in.busy++
	e.fleet.busy++
	e.meter.started(now - arr)
	p.reqs.push(psReq{finish: p.v + float64(svc), arr: arr})
	e.psReschedule(in, id, p)
}

// psReschedule queues the task's next departure once its busy count has
// changed; with cpu shares its instance's tasks are shared out anew
// first, and each whose vCPUs change is rescheduled too.
func (e *engine) psReschedule(in *instance, id int32, p *psTask) {
	if in.burst {
		e.hostShare(e.ecs.taskHost[id], id)
	}
	e.psSchedule(in, id, p)
}

// psSchedule queues the task's next departure at the current rate.
func (e *engine) psSchedule(in *instance, id int32, p *psTask) {
	if len(p.reqs) == 0 {
		p.next = -1
		return
	}
	left := max(0, p.reqs[0].finish-p.v)
	at := e.now + Time(math.Ceil(left/in.rate(in.busy)))
	if at == p.next {
		return // the event already queued for then still counts
	}
	p.next = at
	e.q.push(event{at: at, kind: evDeparture, inst: id})
}

// psDepart: the requests of a shared task whose work is done leave; the
// slots they free take queued requests whose clients still wait.
func (e *engine) psDepart(id int32, at, overhead, timeout Time) {
	in := &e.fleet.inst[id]
	p := &e.ecs.ps[id]
	if in.state == terminated || at != p.next {
		return
	}
	now := e.now
	if in.burst {
		e.hostSync(id)
	} else {
		p.advance(in, now)
	}
	for len(p.reqs) > 0 && p.reqs[0].finish-p.v <= 1 { // within a nanosecond of work
		r := p.reqs.pop()
		in.accrue(now)
		in.busy--
		e.fleet.busy--
		e.lb.addOutstanding(in, -1)
		sojourn := now - r.arr
		if lat := sojourn + overhead; lat > timeout {
			e.meter.outcome(timedOut, 1, sojourn, 0)
		} else {
			e.meter.outcome(completed, 1, sojourn, lat)
		}
	}
	for in.busy < in.slots && in.n > 0 {
		r := in.dequeue()
		if now-r.arr+overhead > timeout {
			e.lb.addOutstanding(in, -1)
			e.meter.outcome(timedOut, 1, now-r.arr, 0)
			continue
		}
		p.advance(in, now)
		in.accrue(now)
		in.busy++
		e.fleet.busy++
		e.meter.started(now - r.arr)
		p.reqs.push(psReq{finish: p.v + float64(r.svc), arr: r.arr})
	}
	e.psReschedule(in, id, p)
	if in.state == draining && in.outstanding == 0 {
		e.terminate(id)
	}
}

// hostSync brings every task on task id's instance up to now at the
// vCPUs each has had: their shares are about to change.
func (e *engine) hostSync(id int32) {
	s := e.ecs
	for _, m := range s.hosts[s.taskHost[id]].members {
		in := &e.fleet.inst[m]
		s.ps[m].advance(in, e.now)
		in.accrue(e.now)
	}
}

// hostShare shares instance h's vCPUs among its tasks by their cpu shares
// and running requests (sim/shares.go) and reschedules the departures of
// each task, other than except, whose vCPUs changed.
func (e *engine) hostShare(h, except int32) {
	s := e.ecs
	hs := &s.hosts[h]
	n := len(hs.members)
	capacity := float64(s.groups[hs.group].cfg.Hosts.UnitsPerInstance) / 1024
	if n == 1 { // alone, the task has the instance: a vCPU a request, up to all of them
		m := hs.members[0]
		in := &e.fleet.inst[m]
		if c := min(float64(in.busy), capacity); c != in.cpuNow {
			in.cpuNow = c
			if m != except {
				e.psSchedule(in, m, &s.ps[m])
			}
		}
		return
	}
	if cap(s.shareOut) < n {
		s.shareDemand, s.shareWeight, s.shareOut = make([]float64, n), make([]float64, n), make([]float64, n)
	}
	demand, weight, out := s.shareDemand[:n], s.shareWeight[:n], s.shareOut[:n]
	for i, m := range hs.members {
		in := &e.fleet.inst[m]
		demand[i], weight[i] = float64(in.busy), in.cpuCap
	}
	shareCPU(capacity, demand, weight, out)
	for i, m := range hs.members {
		in := &e.fleet.inst[m]
		if out[i] == in.cpuNow {
			continue
		}
		in.cpuNow = out[i]
		if m != except {
			e.psSchedule(in, m, &s.ps[m])
		}
	}
}
