// Package pricing turns simulated instance lifetimes into dollars, every
// one traceable to a price, a rule and an hour of usage.
//
//   - catalogue.go: the embedded on-demand catalogue (us-east-1, Linux,
//     2026-07-20) and catalogue files written by `capsim pricing update`,
//     each with its source and date.
//   - charge.go: Charge, the one entry point: per-launch billing
//     (BilledSeconds: per second with a 60-s minimum, or per hour for
//     RHEL/SUSE; interrupted spot free in its first hour), Reserved
//     Instances, Savings Plans, burstable surplus credits, EBS, load
//     balancer and data transfer lines (docs/aws-model.md §5.2, §5.3).
//   - spot.go: spot prices, a discount (by default the family's median
//     ratio from a 2022 sample) or a price history file.
//   - commitments.go: RIs with normalization factors, Savings Plans.
//   - burstable.go: the CPU credit table and CreditAccount, which the
//     engine can step minute by minute to hold a standard-mode instance to
//     its baseline.
//   - mixed.go: MixedSplit, the On-Demand/Spot split of a mixed-instances
//     group (§1.10).
//   - whatif.go: the Savings Plan what-if.
//   - fetch.go: the AWS Price List and EC2 spot price history import;
//     savingsplans.go: Savings Plan rates (DescribeSavingsPlansOfferingRates)
//     and their file.
//
// The engine (package sim) cannot import pricing. To hold standard-mode
// burstables to their baseline it needs a CreditAccount per instance,
// handed to it through its configuration (scenarios builds it with
// NewCreditAccount(Credits(type), mode)); likewise MixedSplit for the
// On-Demand/Spot split of a mixed-instances group.
package pricing
