// Entry of the script-tag bundles: registers the elements when loaded.
import { defineGrowthOSElements } from './index.js';

defineGrowthOSElements();
