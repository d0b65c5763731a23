import { type FormEvent, useState } from 'react';
import { type DefaultValues, type FieldPath, type FieldValues, type Resolver, useForm, type UseFormReturn } from 'react-hook-form';
import { type DetailsReader, saveFailure } from './api-error.js';

export interface ServerCheckedForm<Values extends FieldValues, Body, Field extends FieldPath<Values>> {
  form: UseFormReturn<Values, unknown, Body>;
  /** An input's registration; typing in it clears its error until the next submit. */
  field: (name: Field) => ReturnType<UseFormReturn<Values, unknown, Body>['register']>;
  /** The message next to a field: the schema's at submit, or the server's. */
  errorOf: (name: Field) => string | undefined;
  /** The message above the buttons: what the server refused that names no field of the form, or why the save failed. */
  formError: string | null;
  /** The form's onSubmit: checks with the resolver, then saves. */
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
}

/**
 * A form checked at submit by the schema the server uses (its zod resolver), then by the server:
 * a refused save's 400 `details` go next to the fields they name (`readDetails` maps the body's
 * fields to the form's), the first of them focused, and the rest above the buttons. An error goes
 * once its field is typed in again; the next submit checks anew.
 */
export function useServerCheckedForm<Values extends FieldValues, Body, Field extends FieldPath<Values>>(options: {
  defaultValues: DefaultValues<Values>;
  resolver: Resolver<Values, unknown, Body>;
  readDetails: DetailsReader<Field>;
  /** Sends the checked body; what it throws is shown by the form. */
  save: (body: Body) => Promise<void>;
}): ServerCheckedForm<Values, Body, Field> {
  const form = useForm<Values, unknown, Body>({ defaultValues: options.defaultValues, resolver: options.resolver, mode: 'onSubmit', reValidateMode: 'onSubmit' });
  const { register, clearErrors, setError, getFieldState, formState } = form;
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async (body: Body) => {
    setFormError(null);
    try {
      await options.save(body);
    } catch (err) {
      const failure = saveFailure(err, options.readDetails);
      // The first field the server names gets the focus.
      (Object.entries(failure.fields) as [Field, string][]).forEach(([name, message], i) => setError(name, { type: 'server', message }, { shouldFocus: i === 0 }));
      setFormError(failure.message);
    }
  };

  return {
    form,
    field: (name) => register(name, { onChange: () => clearErrors(name) }),
    // Passing formState subscribes this render to the errors, as reading formState.errors does.
    errorOf: (name) => getFieldState(name, formState).error?.message,
    formError,
    onSubmit: (event) => void form.handleSubmit(submit)(event),
  };
}
