/**
 * The source types a gateway knows unless it is given others. Every one is
 * portable (WebCrypto, JSONata), so Node and Workers share this catalog.
 */
import { eventBridgeSourceType } from "./eventbridge/eventbridge-source.js";
import { eventGridSourceType } from "./eventgrid/eventgrid-source.js";
import { eventGridPublishSourceType } from "./eventgrid-publish/eventgrid-publish-source.js";
import { githubSourceType } from "./github/github-source.js";
import { hmacSourceType } from "./hmac/hmac-source.js";
import { jsonSourceType } from "./json/json-source.js";
import { pubsubPublishSourceType } from "./pubsub-publish/pubsub-publish-source.js";
import { pubsubPushSourceType } from "./pubsub-push/pubsub-push-source.js";
import type { SourceCatalog } from "./source.js";
import { standardWebhooksSourceType } from "./standard-webhooks/standard-webhooks-source.js";

export const builtInSources: SourceCatalog = {
  [jsonSourceType.type]: jsonSourceType,
  [githubSourceType.type]: githubSourceType,
  [standardWebhooksSourceType.type]: standardWebhooksSourceType,
  [hmacSourceType.type]: hmacSourceType,
  [pubsubPushSourceType.type]: pubsubPushSourceType,
  [eventGridSourceType.type]: eventGridSourceType,
  [eventBridgeSourceType.type]: eventBridgeSourceType,
  [eventGridPublishSourceType.type]: eventGridPublishSourceType,
  [pubsubPublishSourceType.type]: pubsubPublishSourceType,
};
