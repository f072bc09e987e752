/**
 * Outside local mode (the studio enabled with STUDIO_TOKEN), replies to studio people must
 * reach the studio, not the chat platform: this Send API sends replies for `studio-...`
 * ids to the studio's local channel and everything else to the platform.
 */
import type { LocalChannel } from '../channel/local-channel.js';
import type { SendApi } from '../channel/send-api.js';
import { STUDIO_USER } from './people.js';

/** A Send API that routes studio people to `studio` and everyone else to `platform`. */
export function routeStudioReplies(platform: SendApi, studio: LocalChannel): SendApi {
  return {
    send(recipient, message) {
      return recipient.id !== undefined && STUDIO_USER.test(recipient.id) ? studio.send(recipient, message) : platform.send(recipient, message);
    },
    async close() {
      await Promise.all([platform.close(), studio.close()]);
    },
  };
}
