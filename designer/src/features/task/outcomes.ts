import type { ButtonProps } from 'antd';

/** The engine's send-back port (PortNames.Return): it takes a reason and no form data. */
export const RETURN_OUTCOME = '退回';

export function isReturnOutcome(outcome: string): boolean {
  return outcome === RETURN_OUTCOME;
}

/** Outcomes that say no: shown as danger buttons. */
const NEGATIVE = /^(退回|不同意|驳回|不予|否决|拒绝|不通过|不满意)/;

/** The first outcome is the main action; a send-back or a refusal is red. */
export function outcomeButtonProps(outcome: string, index: number): Pick<ButtonProps, 'type' | 'danger'> {
  const negative = NEGATIVE.test(outcome);
  return { type: index === 0 && !negative ? 'primary' : 'default', danger: negative };
}
