/**
 * The dead-letter store seen from the delivery layer. The interfaces live
 * with the adapter contract (src/adapter/dead-letter-store.ts): adapters
 * implement them and may import only the contract.
 */
export {
  type DeadLetterStore,
  type ReadsBackDeadLetters,
  readsBackDeadLetters,
  type StoredDeadLetter,
} from "../../adapter/dead-letter-store.js";
