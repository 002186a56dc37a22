import { RasaFlow } from '../src/lib/types';

// The complete valid example from RASA_FORMATS.md section 1.10.
export const transferMoney = (): RasaFlow => ({
  name: 'transfer money',
  description: 'Send money to a friend or family member.',
  if: 'slots.logged_in',
  persisted_slots: ['recipient'],
  nlu_trigger: [{ intent: 'transfer_money' }, { intent: { name: 'send_money', confidence_threshold: 0.8 } }],
  steps: [
    { id: 'ask_recipient', collect: 'recipient', description: 'full name of the person receiving the money',
      rejections: [{ if: 'slots.recipient matches "^\\d+$"', utter: 'utter_invalid_recipient' }] },
    { collect: 'amount', description: 'amount in USD, a positive number' },
    { id: 'check', noop: true, next: [
      { if: 'slots.amount > 1000 and slots.recipient is not null', then: [{ action: 'utter_too_much', next: 'END' }] },
      { if: "{'EUR' 'USD'} contains slots.currency", then: 'confirm' },
      { else: [{ set_slots: [{ currency: 'USD' }, { note: null }], next: 'confirm' }] },
    ] },
    { id: 'confirm', collect: 'confirm_transfer', ask_before_filling: true, next: [
      { if: 'not slots.confirm_transfer', then: [{ action: 'utter_transfer_cancelled', next: 'END' }] },
      { else: 'do_transfer' },
    ] },
    { id: 'do_transfer', action: 'action_execute_transfer' },
    { call: 'check_balance' },
    { link: 'feedback' },
  ],
});

export const linear = (): RasaFlow => ({
  description: 'three steps',
  steps: [{ collect: 'a' }, { action: 'utter_b' }, { action: 'action_c' }],
});
