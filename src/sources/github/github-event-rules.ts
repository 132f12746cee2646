/**
 * How each GitHub webhook event becomes CloudEvents attributes, as one table:
 * the CloudEvents project's GitHub adapter (cloudevents/spec,
 * cloudevents/adapters/github.md), row by row, then rows for events GitHub
 * added since. Each attribute names payload fields tried in order; the first
 * usable value wins. What no field gives is left out (subject, time) or falls
 * back to the common source chain (source): never invented. Where a row
 * departs from the adapter document, its comment says how and why.
 */

/** A dotted path into the payload: `check_run.completed_at`. */
export type PayloadPath = string;

export type SourceRule =
  | PayloadPath
  /** The values joined by "/" (a commit comment: the comment's URL, then the commit). */
  | { readonly join: readonly PayloadPath[] }
  /** The URL without its last path segment (`.../users/octocat` -> `.../users`). */
  | { readonly parentOf: PayloadPath }
  | { readonly constant: string };

/** A field, or a field read only for some actions (a release's time depends on what happened to it). */
export type TimeRule = PayloadPath | { readonly path: PayloadPath; readonly actions: readonly string[] };

export interface GithubEventRule {
  /** The event's name in `type` when the adapter spells it otherwise (`issues` -> `issue`). */
  readonly typeName?: string;
  /** Fields whose values follow the name in `type`, each when present; default `action`. */
  readonly typeParts?: readonly PayloadPath[];
  /** Tried before the common chain (COMMON_SOURCES). */
  readonly source?: readonly SourceRule[];
  readonly subject?: readonly PayloadPath[];
  readonly time?: readonly TimeRule[];
}

/**
 * Where every event's source falls back to, in order, so that events without
 * a repository (organization, installation, sponsorship, security advisory)
 * still have one: the repository, the organization, the account the app is
 * installed on, the user who acted, and at last GitHub itself.
 */
export const COMMON_SOURCES: readonly SourceRule[] = [
  "repository.url",
  "organization.url",
  "installation.account.url",
  "sender.url",
  { constant: "https://github.com" },
];

/** For events whose type the adapter gives without the action. */
const NAME_ONLY: readonly PayloadPath[] = [];

/** Events neither the adapter nor the rows below name: `com.github.<event>[.<action>]` and the common source. */
export const UNLISTED_EVENT: GithubEventRule = {};

const RULES: Readonly<Record<string, GithubEventRule>> = {
  // The CloudEvents GitHub adapter.
  check_run: { subject: ["check_run.id"], time: ["check_run.completed_at", "check_run.started_at"] },
  check_suite: { subject: ["check_suite.id"], time: ["check_suite.updated_at"] },
  commit_comment: {
    source: [{ join: ["comment.url", "comment.commit_id"] }],
    subject: ["comment.id"],
    time: ["comment.updated_at"],
  },
  content_reference: { subject: ["content_reference.id"] },
  create: { typeParts: ["ref_type"], subject: ["ref"] },
  delete: { typeParts: ["ref_type"], subject: ["ref"] },
  deploy_key: { subject: ["key.id"], time: ["key.deleted_at", "key.created_at"] },
  deployment: { typeParts: NAME_ONLY, subject: ["deployment.id"], time: ["deployment.updated_at"] },
  deployment_status: {
    typeParts: ["deployment_status.state"],
    source: ["deployment.url"],
    subject: ["deployment_status.url"],
    time: ["deployment_status.updated_at"],
  },
  fork: { typeParts: NAME_ONLY, subject: ["forkee.url"], time: ["forkee.created_at"] },
  github_app_authorization: { typeParts: NAME_ONLY, source: ["sender.url"] },
  gollum: { typeParts: NAME_ONLY },
  // installation.updated_at is an RFC 3339 string in some deliveries, epoch seconds in others.
  installation: {
    source: ["installation.account.url"],
    subject: ["installation.id"],
    time: ["installation.updated_at"],
  },
  installation_repositories: {
    typeName: "installation_repository",
    source: ["installation.account.url"],
    subject: ["installation.id"],
    time: ["installation.updated_at"],
  },
  issue_comment: { source: ["issue.url"], subject: ["comment.id"], time: ["comment.updated_at"] },
  issues: { typeName: "issue", subject: ["issue.number"], time: ["issue.updated_at"] },
  label: { subject: ["label.name"] },
  marketplace_purchase: {
    source: [{ parentOf: "sender.url" }],
    subject: ["marketplace_purchase.account.login"],
    time: ["effective_date"],
  },
  member: { subject: ["member.login"] },
  membership: { typeParts: ["scope", "action"], source: ["team.url"], subject: ["member.login"] },
  meta: { subject: ["hook_id"], time: ["hook.updated_at"] },
  milestone: { subject: ["milestone.number"], time: ["milestone.updated_at"] },
  organization: { source: ["organization.url"], subject: ["membership.user.login"] },
  org_block: { source: ["organization.url"], subject: ["blocked_user.login"] },
  // The adapter says pusher.updated_at; page_build payloads have no such field, build.updated_at is the build's.
  page_build: { typeParts: NAME_ONLY, subject: ["build.url"], time: ["build.updated_at"] },
  project: { subject: ["project.id"], time: ["project.updated_at"] },
  project_card: { subject: ["project_card.id"], time: ["project_card.updated_at"] },
  project_column: { subject: ["project_column.id"], time: ["project_column.updated_at"] },
  public: {
    typeParts: NAME_ONLY,
    source: ["repository.owner.url"],
    subject: ["repository.name"],
    time: ["repository.updated_at"],
  },
  pull_request: { subject: ["number"], time: ["pull_request.updated_at"] },
  pull_request_review: {
    source: ["pull_request.url"],
    subject: ["review.id"],
    time: ["review.submitted_at"],
  },
  pull_request_review_comment: {
    source: ["pull_request.url"],
    subject: ["comment.id"],
    time: ["pull_request.updated_at"],
  },
  push: { typeParts: NAME_ONLY, subject: ["ref"] },
  registry_package: { subject: ["registry_package.html_url"], time: ["registry_package.updated_at"] },
  // "release.*_at based on action": a release has only created_at and published_at, so an edit or a
  // deletion has no time of its own in the payload and gets none.
  release: {
    subject: ["release.id"],
    time: [
      { path: "release.published_at", actions: ["published", "released", "prereleased"] },
      { path: "release.created_at", actions: ["created"] },
    ],
  },
  repository: {
    source: ["repository.owner.url"],
    subject: ["repository.name"],
    time: ["repository.updated_at"],
  },
  repository_import: {
    typeParts: NAME_ONLY,
    source: ["repository.owner.url"],
    subject: ["repository.name"],
    time: ["repository.updated_at"],
  },
  repository_vulnerability_alert: { subject: ["alert.id"] },
  // The adapter's source is `github.com`, which as a URI-reference is a relative path; the URL says what it means.
  security_advisory: {
    source: [{ constant: "https://github.com" }],
    subject: ["security_advisory.ghsa_id"],
    time: ["security_advisory.updated_at"],
  },
  star: { time: ["starred_at"] },
  // The adapter leaves the type open ("com.github.status." + state?); the state is what subscribers filter on.
  status: { typeParts: ["state"], subject: ["sha"], time: ["updated_at"] },
  team: { subject: ["team.id"], time: ["updated_at"] },
  team_add: { subject: ["team.id"] },
  watch: {},

  // Beyond the adapter: events GitHub added since, with the subject and time their payloads plainly carry.
  branch_protection_rule: { subject: ["rule.id"], time: ["rule.updated_at"] },
  code_scanning_alert: { subject: ["alert.number"], time: ["alert.updated_at"] },
  dependabot_alert: { subject: ["alert.number"], time: ["alert.updated_at"] },
  discussion: { subject: ["discussion.number"], time: ["discussion.updated_at"] },
  discussion_comment: { subject: ["comment.id"], time: ["comment.updated_at"] },
  merge_group: { subject: ["merge_group.head_sha"] },
  package: { subject: ["package.id"], time: ["package.updated_at"] },
  projects_v2_item: { subject: ["projects_v2_item.id"], time: ["projects_v2_item.updated_at"] },
  pull_request_review_thread: { subject: ["thread.node_id"] },
  sponsorship: { source: ["sponsorship.sponsorable.url"], subject: ["sponsorship.node_id"] },
  workflow_dispatch: { subject: ["workflow"] },
  workflow_job: {
    subject: ["workflow_job.id"],
    time: ["workflow_job.completed_at", "workflow_job.started_at"],
  },
  workflow_run: { subject: ["workflow_run.id"], time: ["workflow_run.updated_at"] },
};

/** A Map, so an event named `constructor` finds no rule of Object.prototype's. */
export const GITHUB_EVENT_RULES: ReadonlyMap<string, GithubEventRule> = new Map(Object.entries(RULES));
