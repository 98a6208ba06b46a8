// Validates a Roo Code settings-import file against @roo-code/types' zod schemas.
// Usage: node validate_roo.cjs <file>; prints a JSON array of error strings (empty when valid).
"use strict";
const fs = require("fs");
const path = require("path");
const types = require("@roo-code/types");
const z = require(require.resolve("zod", { paths: [path.dirname(require.resolve("@roo-code/types"))] }));

// Roo's import reads {providerProfiles: {currentApiConfigName, apiConfigs, modeApiConfigs?},
// globalSettings?}. Unknown keys are silently dropped by Roo, so they are errors here.
const fileSchema = z
  .object({
    providerProfiles: z
      .object({
        currentApiConfigName: z.string(),
        apiConfigs: z.record(z.string(), types.providerSettingsWithIdSchema.strict()),
        modeApiConfigs: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    globalSettings: types.globalSettingsSchema.strict().optional(),
  })
  .strict();

function issues(error, prefix) {
  return error.issues.map((i) => `${[prefix, ...i.path].filter((p) => p !== "").join(".")}: ${i.message}`);
}

function validate(doc) {
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) return issues(parsed.error, "");
  const errors = [];
  const profiles = parsed.data.providerProfiles;
  const ids = new Set();
  for (const [name, profile] of Object.entries(profiles.apiConfigs)) {
    const one = types.discriminatedProviderSettingsWithIdSchema.safeParse(profile);
    if (!one.success) errors.push(...issues(one.error, `providerProfiles.apiConfigs.${name}`));
    if (profile.id) ids.add(profile.id);
  }
  if (!(profiles.currentApiConfigName in profiles.apiConfigs)) {
    errors.push(`providerProfiles.currentApiConfigName: no profile named ${JSON.stringify(profiles.currentApiConfigName)}`);
  }
  for (const [mode, id] of Object.entries(profiles.modeApiConfigs || {})) {
    if (!ids.has(id)) errors.push(`providerProfiles.modeApiConfigs.${mode}: no profile with id ${JSON.stringify(id)}`);
  }
  return errors;
}

let doc;
try {
  doc = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
} catch (err) {
  process.stdout.write(JSON.stringify([`cannot read ${process.argv[2]}: ${err.message}`]));
  process.exit(0);
}
process.stdout.write(JSON.stringify(validate(doc)));
