// The webhook form's state: values, which field has focus, and whether a save
// was attempted (errors show from then on; warnings always).
import {useCallback, useMemo, useState} from 'react';
import {checkWebhookForm, hasErrors, type CheckContext, type FieldNotes, type WebhookField, type WebhookFormValues} from '../validate.js';

export interface FormFields {
	values: WebhookFormValues;
	focus: WebhookField;
	notes: FieldNotes;
	submitted: boolean;
	set(field: WebhookField, value: string): void;
	focusNext(step: 1 | -1): void;
	/** Returns the values when they are valid; otherwise moves focus to the first wrong field. */
	trySubmit(): WebhookFormValues | undefined;
}

export function useFormFields(fields: readonly WebhookField[], initial: WebhookFormValues, context: CheckContext): FormFields {
	const [values, setValues] = useState(initial);
	const [focus, setFocus] = useState<WebhookField>(fields[0] ?? 'name');
	const [submitted, setSubmitted] = useState(false);
	const notes = useMemo(() => checkWebhookForm(values, context), [values, context]);

	const set = useCallback((field: WebhookField, value: string) => setValues(current => ({...current, [field]: value})), []);
	const focusNext = useCallback(
		(step: 1 | -1) =>
			setFocus(current => {
				const index = fields.indexOf(current);
				return fields[(index + step + fields.length) % fields.length] ?? current;
			}),
		[fields],
	);
	const trySubmit = () => {
		setSubmitted(true);
		if (!hasErrors(notes)) return values;
		const wrong = fields.find(field => notes.errors[field]);
		if (wrong) setFocus(wrong);
		return undefined;
	};

	return {values, focus, notes, submitted, set, focusNext, trySubmit};
}
