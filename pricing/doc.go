// Package pricing holds what capsim knows about prices: the embedded
// on-demand catalogue of EC2 instance types (catalogue.go), with the date
// and source of its data.
package pricing
