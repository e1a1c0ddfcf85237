// Package outbound delivers messages to consumers: SMS replies (tracking
// code, status answers, help, follow-up receipts) and progress notices
// when a case changes state (SMS for SMS cases, WeChat subscribe messages
// for mini-program cases). It is the handler behind functions/outbound,
// the consumer of the outbound queue.
//
// Producers (shared/smsin, and the progress hook on the route and staff
// stores, see Progress) put a Message on the queue. Messages carry ids and
// an idempotency key, never a phone number or text: the consumer reads the
// sender from the inbound message record and the rest from the case. The
// one exception is the tracking code of a receipt, which exists only in
// that moment (the case stores its hash); the queue is encrypted (SSE).
//
// Every message is sent at most once per key: the consumer claims the key
// (chanstore.ClaimOutbound), sends, and marks it done; a redelivered
// message finds it done. A send that fails releases the claim and is
// retried by SQS, then dead-lettered. WeChat's 43101 (user refused, or no
// subscription left) is final: the credits are cleared and nothing is
// retried.
//
// Texts are composed here and cut to MaxSegments SMS segments, counting
// the 【签名】 the provider adds (UCS-2: 70 characters in one segment, 67
// per segment when concatenated).
package outbound

import (
	"errors"

	"github.com/open12315/intake/shared/cases"
)

// Kind is what a message says.
type Kind string

// Message kinds.
const (
	// SMSReceipt answers a new SMS case with its id and tracking code.
	SMSReceipt Kind = "sms_receipt"
	// SMSStatus answers a 查询; CaseID is empty when no case matched.
	SMSStatus Kind = "sms_status"
	// SMSHelp explains the commands (a 查询 without a code).
	SMSHelp Kind = "sms_help"
	// SMSFollowUp confirms a follow-up text was added to the open case.
	SMSFollowUp Kind = "sms_follow_up"
	// KindProgress tells the consumer that the case reached State.
	KindProgress Kind = "progress"
)

// Message is one outbound queue message.
type Message struct {
	Kind Kind `json:"kind"`
	// Key makes redeliveries and repeats one send.
	Key    string `json:"key"`
	CaseID string `json:"case_id,omitempty"`
	// Provider and InboundID name the inbound SMS being answered; its
	// record holds the number to answer.
	Provider  string `json:"provider,omitempty"`
	InboundID string `json:"inbound_id,omitempty"`
	// Code is the tracking code, only in an SMSReceipt.
	Code string `json:"code,omitempty"`
	// State is the state a KindProgress notice announces.
	State cases.State `json:"state,omitempty"`
	// From is the state left, for KindProgress.
	From cases.State `json:"from,omitempty"`
}

// ErrBadMessage marks a message that can never be delivered.
var ErrBadMessage = errors.New("outbound: malformed message")

// Validate checks the fields a kind needs.
func (m Message) Validate() error {
	if m.Key == "" || len(m.Key) > 300 {
		return ErrBadMessage
	}
	if m.CaseID != "" && !cases.ValidID(m.CaseID) {
		return ErrBadMessage
	}
	switch m.Kind {
	case SMSReceipt:
		if m.CaseID == "" || m.Code == "" || m.InboundID == "" {
			return ErrBadMessage
		}
	case SMSStatus, SMSHelp:
		if m.InboundID == "" {
			return ErrBadMessage
		}
	case SMSFollowUp:
		if m.CaseID == "" || m.InboundID == "" {
			return ErrBadMessage
		}
	case KindProgress:
		if m.CaseID == "" || m.State == "" {
			return ErrBadMessage
		}
	default:
		return ErrBadMessage
	}
	return nil
}
