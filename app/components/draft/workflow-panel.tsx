// The approval steps a person may take on a version now, after its review: submit (through
// check your answers), withdraw, approve or publish (each through its confirmation page), and
// return with a comment. Plain forms and links, so they work without JavaScript.
import { Form } from "@remix-run/react";
import { describedBy, FieldError, groupClass } from "~/components/fields";
import { formatDate } from "~/components/format";
import { MAX_COMMENT_LENGTH } from "~/domain/workflow";

export interface WorkflowRights {
  submit: boolean;
  withdraw: boolean;
  approve: boolean;
  approveBlockedAsAuthor: boolean;
  return: boolean;
  publish: boolean;
}

/** The element each field's error in the summary links to. */
export const WORKFLOW_FIELD_IDS = { comment: "sw_return-comment", summary: "sw_summary" } as const;

export function WorkflowPanel({ may, status, fields, base, scheduledFor }: { may: WorkflowRights; status: string; fields: Record<string, string>; base: string; scheduledFor: string | null }) {
  if (!may.submit && !may.withdraw && !may.approve && !may.return && !may.publish && !may.approveBlockedAsAuthor && status !== "approved") return null;
  return (
    <section className="sw-workflow" id="sw_workflow" aria-labelledby="sw_workflow-heading" tabIndex={-1}>
      <h2 id="sw_workflow-heading" className="nhsuk-heading-m">
        Approval
      </h2>
      {may.submit ? (
        <>
          <p>When the draft is ready, check the changes and their notes, then submit it for a commissioner to approve.</p>
          <a className="nhsuk-button" href={`${base}/submit`}>
            Check and submit for approval
          </a>
        </>
      ) : null}
      {status === "submitted" ? <p>Submitted for approval. It cannot be edited unless it is withdrawn or returned.</p> : null}
      {may.withdraw ? (
        <Form method="post">
          <input type="hidden" name="intent" value="withdraw" />
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Withdraw and edit
          </button>
        </Form>
      ) : null}
      {may.approveBlockedAsAuthor ? <p>This version holds wording or change notes you wrote, so another commissioner must approve it.</p> : null}
      {may.approve ? (
        <p>
          <a className="nhsuk-button" href={`${base}/approve`}>
            Approve this version
          </a>
        </p>
      ) : null}
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
      {scheduledFor ? (
        <p>
          <strong className="nhsuk-tag nhsuk-tag--orange">Scheduled for {formatDate(scheduledFor)}</strong> It goes live for the public on that date.
        </p>
      ) : null}
      {may.publish ? (
        <p>
          <a className="nhsuk-button" href={`${base}/publish`}>
            {scheduledFor ? "Change or cancel the scheduled publication" : "Publish this version"}
          </a>
        </p>
      ) : null}
      {status === "approved" && !may.publish && !scheduledFor ? <p>Approved; waiting for a commissioner to publish it.</p> : null}
    </section>
  );
}
