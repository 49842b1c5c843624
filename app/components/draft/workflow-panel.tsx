// The approval steps a person may take on a version now: submit, withdraw, approve, return
// with a comment, publish with a label and date. Plain forms, so they work without JavaScript.
import { Form } from "@remix-run/react";

export interface WorkflowRights {
  submit: boolean;
  withdraw: boolean;
  approve: boolean;
  approveBlockedAsAuthor: boolean;
  return: boolean;
  publish: boolean;
}

export function WorkflowPanel({ may, status }: { may: WorkflowRights; status: string }) {
  if (!may.submit && !may.withdraw && !may.approve && !may.return && !may.publish && !may.approveBlockedAsAuthor) return null;
  return (
    <section className="sw-workflow" aria-labelledby="sw_workflow-heading">
      <h2 id="sw_workflow-heading" className="nhsuk-heading-m">
        Approval
      </h2>
      {may.submit ? (
        <Form method="post">
          <input type="hidden" name="intent" value="submit" />
          <p>When the draft is ready, submit it for a commissioner to approve.</p>
          <button className="nhsuk-button" type="submit">
            Submit for approval
          </button>
        </Form>
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
        <Form method="post">
          <input type="hidden" name="intent" value="approve" />
          <button className="nhsuk-button" type="submit">
            Approve this version
          </button>
        </Form>
      ) : null}
      {may.return ? (
        <Form method="post">
          <input type="hidden" name="intent" value="return" />
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="sw_return-comment">
              Why return it to the editors?
            </label>
            <textarea className="nhsuk-textarea" id="sw_return-comment" name="comment" rows={3} />
          </div>
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Return to draft
          </button>
        </Form>
      ) : null}
      {may.publish ? (
        <Form method="post">
          <input type="hidden" name="intent" value="publish" />
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="sw_publish-label">
              Label
            </label>
            <div className="nhsuk-hint" id="sw_publish-label-hint">
              For example: Consultation draft, open 18 Oct 2017 to 24 Jan 2018
            </div>
            <input className="nhsuk-input" id="sw_publish-label" name="label" aria-describedby="sw_publish-label-hint" />
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="sw_publish-date">
              Publication date
            </label>
            <div className="nhsuk-hint" id="sw_publish-date-hint">
              As 2017-10-18; today if left empty
            </div>
            <input className="nhsuk-input nhsuk-input--width-10" id="sw_publish-date" name="date" aria-describedby="sw_publish-date-hint" />
          </div>
          <button className="nhsuk-button" type="submit">
            Publish
          </button>
        </Form>
      ) : null}
      {status === "approved" && !may.publish ? <p>Approved; waiting for a commissioner to publish it.</p> : null}
    </section>
  );
}
