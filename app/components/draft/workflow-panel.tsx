// The approval steps a person may take on a version now: submit, withdraw, approve, return
// with a comment, publish with a label and date. Plain forms, so they work without JavaScript.
import { Form } from "@remix-run/react";
import { DateInput } from "~/components/date-input";
import { describedBy, FieldError, groupClass } from "~/components/fields";
import { MAX_COMMENT_LENGTH, MAX_LABEL_LENGTH } from "~/domain/workflow";

export interface WorkflowRights {
  submit: boolean;
  withdraw: boolean;
  approve: boolean;
  approveBlockedAsAuthor: boolean;
  return: boolean;
  publish: boolean;
}

/** The element each field's error in the summary links to. */
export const WORKFLOW_FIELD_IDS = { comment: "sw_return-comment", label: "sw_publish-label", date: "sw_publish-date" } as const;

export function WorkflowPanel({ may, status, fields }: { may: WorkflowRights; status: string; fields: Record<string, string> }) {
  if (!may.submit && !may.withdraw && !may.approve && !may.return && !may.publish && !may.approveBlockedAsAuthor) return null;
  return (
    <section className="sw-workflow" aria-labelledby="sw_workflow-heading">
      <h2 id="sw_workflow-heading" className="nhsuk-heading-m">
        Approval
      </h2>
      {may.submit ? (
        <IntentButton intent="submit" text="Submit for approval">
          <p>When the draft is ready, submit it for a commissioner to approve.</p>
        </IntentButton>
      ) : null}
      {status === "submitted" ? <p>Submitted for approval. It cannot be edited unless it is withdrawn or returned.</p> : null}
      {may.withdraw ? <IntentButton intent="withdraw" text="Withdraw and edit" secondary /> : null}
      {may.approveBlockedAsAuthor ? <p>This version holds wording or change notes you wrote, so another commissioner must approve it.</p> : null}
      {may.approve ? <IntentButton intent="approve" text="Approve this version" /> : null}
      {may.return ? (
        <Form method="post">
          <input type="hidden" name="intent" value="return" />
          <div className={groupClass(fields.comment)}>
            <label className="nhsuk-label" htmlFor={WORKFLOW_FIELD_IDS.comment}>
              Why return it to the editors?
            </label>
            <div className="nhsuk-hint" id={`${WORKFLOW_FIELD_IDS.comment}-hint`}>
              The editors see this on the draft. You can enter up to {MAX_COMMENT_LENGTH.toLocaleString("en-GB")} characters.
            </div>
            <FieldError id={WORKFLOW_FIELD_IDS.comment} message={fields.comment} />
            <textarea
              className={`nhsuk-textarea${fields.comment ? " nhsuk-textarea--error" : ""}`}
              id={WORKFLOW_FIELD_IDS.comment}
              name="comment"
              rows={3}
              maxLength={MAX_COMMENT_LENGTH}
              aria-describedby={describedBy(WORKFLOW_FIELD_IDS.comment, { hint: true, error: fields.comment })}
            />
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Return to draft
          </button>
        </Form>
      ) : null}
      {may.publish ? (
        <Form method="post">
          <input type="hidden" name="intent" value="publish" />
          <div className={groupClass(fields.label)}>
            <label className="nhsuk-label" htmlFor={WORKFLOW_FIELD_IDS.label}>
              Label
            </label>
            <div className="nhsuk-hint" id={`${WORKFLOW_FIELD_IDS.label}-hint`}>
              For example: Consultation draft, open 18 Oct 2017 to 24 Jan 2018
            </div>
            <FieldError id={WORKFLOW_FIELD_IDS.label} message={fields.label} />
            <input
              className={`nhsuk-input${fields.label ? " nhsuk-input--error" : ""}`}
              id={WORKFLOW_FIELD_IDS.label}
              name="label"
              maxLength={MAX_LABEL_LENGTH}
              aria-describedby={describedBy(WORKFLOW_FIELD_IDS.label, { hint: true, error: fields.label })}
            />
          </div>
          <DateInput id={WORKFLOW_FIELD_IDS.date} name="date" legend="Publication date" hint="For example, 18 10 2017. Leave it empty for today." error={fields.date} />
          <button className="nhsuk-button" type="submit">
            Publish
          </button>
        </Form>
      ) : null}
      {status === "approved" && !may.publish ? <p>Approved; waiting for a commissioner to publish it.</p> : null}
    </section>
  );
}

/** A form that is one button: it sends its intent to the draft page's action. */
function IntentButton({ intent, text, secondary = false, children }: { intent: string; text: string; secondary?: boolean; children?: React.ReactNode }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {children}
      <button className={secondary ? "nhsuk-button nhsuk-button--secondary" : "nhsuk-button"} type="submit">
        {text}
      </button>
    </Form>
  );
}
