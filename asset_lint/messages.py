"""What each finding says, as pyflakes keeps it: one small class per message, with the rule's code and
a format string; a message object holds only the arguments (Finding.message renders them)."""
from asset_lint.findings import Message


class AssetCycle(Message):
    code = "DG001"
    text = "asset '{0}' is on a dependency cycle: {1}; {2}"


class MissingUpstreamAsset(Message):
    code = "DG002"
    text = "nothing in code location '{0}' produces asset '{1}'; {2}{3}"


class MissingCheckTarget(Message):
    code = "DG002"
    text = "asset check {0} '{1}', which nothing in code location '{2}' produces; {3}{4}"


class DuplicateAssetKey(Message):
    code = "DG003"
    text = "asset key '{0}' is also defined at {1}; {2}"


class SharedStorageWriter(Message):
    code = "DG003"
    text = '{0} writes {1}, which {2} also writes; Dagster cannot see two writers of one object: make it one asset'


class OpPersistsObject(Message):
    code = "DG004"
    text = ("op '{0}' persists a long-lived object: {1}; Dagster cannot track its lineage or freshness: declare it "
            'as an @asset')


class UndeclaredDataDependency(Message):
    code = "DG005"
    text = ('{0} reads {1}, which {2} ({3}) writes, but declares no dependency on it; Dagster may run them in any '
            'order')


class StringDeps(Message):
    code = "DG006"
    text = ('deps= is a string, not a list: Dagster iterates it character by character and silently depends on '
            'one-letter assets {0}; write deps=[...] around the key')


class IgnoredAssetParameter(Message):
    code = "DG007"
    text = ("parameter '{0}' of asset function '{1}' is {2}: Dagster silently does not make it an input, so no "
            'dependency is drawn and materializing fails (DagsterInvalidConfigError); make it a plain parameter')


class InvalidOpNameFromKey(Message):
    code = "DG008"
    text = ('asset key {0} gives the op name "{1}": Dagster would refuse it, {2} "is not a valid name in Dagster. '
            '{3}"); {4}')


class InvalidDepInputName(Message):
    code = "DG008"
    text = ('deps entry {0} becomes the op input "{1}": Dagster would refuse it, {2} "is not a valid name in '
            'Dagster. {3}"); {4}')


class SlashInSpecDep(Message):
    code = "DG008"
    text = ("AssetSpec deps entry {0} is ONE key component containing '/': Dagster would silently create an "
            'external stub with key {0} instead of depending on {1}{2}; spell the key as the list [{3}]')


class DashInOutputName(Message):
    code = "DG008"
    text = ('@multi_asset output name "{0}": Dagster renames it "{1}" and then fails to import the module '
            "(KeyError: '{0}'); use '_' instead of '-'")


class InvalidMultiAssetName(Message):
    code = "DG008"
    text = '@multi_asset {0} name "{1}": Dagster would refuse it, {2} "is not a valid name in Dagster. {3}"); {4}'


class InvalidSpecOutputName(Message):
    code = "DG008"
    text = ('AssetSpec key {0} gives the output name "{1}": Dagster would refuse it, {2} "is not a valid name in '
            'Dagster. {3}"); {4}')


class CollidingDepInputs(Message):
    code = "DG009"
    text = ('{0} \'{1}\' and the later deps entry \'{2}\' both become the op input "{3}": Dagster silently keeps '
            "only '{2}' and drops the dependency on '{1}'; give one of them another input name with ins={{...: "
            'AssetIn(key=..., dagster_type=Nothing)}}')


class DepShadowsParameter(Message):
    code = "DG009"
    text = ('deps entry \'{0}\' becomes the op input "{1}", the name of parameter \'{2}\': Dagster would fail to '
            'import the module ("decorated function has parameter \'{2}\' that is one of the input_defs of type '
            '\'Nothing\'"); give the dependency another input name with ins={{...: AssetIn(key=..., '
            'dagster_type=Nothing)}}')


class MisnamedContextParameter(Message):
    code = "DG010"
    text = ("first parameter '{0}' of '{1}' is not the context: {2}; Dagster would make it {3}; rename it to "
            "'context'")


class LateContextParameter(Message):
    code = "DG010"
    text = ("parameter 'context' of '{0}' is not the first: Dagster takes only the first parameter as the context "
            'and would refuse an input named context, so the module fails to import ("\\"context\\" is not a valid '
            'name in Dagster"); move it first')


class MisnamedConfigParameter(Message):
    code = "DG011"
    text = ("parameter '{0}' of '{1}' is annotated with a Config class but only a parameter named config receives "
            'run config: Dagster would make it {2}, with at most a ConfigArgumentWarning ("Did you mean to name '
            'this parameter \'config\' instead?"); rename it to \'config\'')


class DuplicateOpName(Message):
    code = "DG012"
    text = ("{0} has op name '{1}', as does {2}; Dagster fails to load the code location ({3}): give one of them "
            'another name')


class AssetNotInDefinitions(Message):
    code = "DG013"
    text = ("{0} is defined in '{1}' but never reaches the Definitions of code location '{2}'; Dagster silently "
            'leaves it out of the asset graph: list it in Definitions(assets=[...]) or load its module')


class MultipleDefinitions(Message):
    code = "DG014"
    text = ("'{0}' is another Definitions object at module scope of '{1}' ({2}); Dagster refuses to load the code "
            'location ("Cannot have more than one Definitions object defined at module scope"): {3}')


class RemappedDependency(Message):
    code = "DG015"
    text = "Dagster silently resolves '{0}' to '{1}', {2}; the code names one key and the graph links another: {3}"


class UnknownTriggerJob(Message):
    code = "DG016"
    text = ("{0} targets job '{1}', which is not in this code location's Definitions: Dagster fails to load it ({2} "
            '"{3}" targets job "{1}" which was not found in this repository){4}')


class UnknownSensorAsset(Message):
    code = "DG016"
    text = ("asset sensor '{0}' watches asset key '{1}', which no asset in the project has: Dagster accepts it "
            'silently and the sensor never fires{2}')


class SelectedDefinitionMissing(Message):
    code = "DG016"
    text = ("{0} selects asset '{1}', whose definition is not in this code location's Definitions: Dagster fails to "
            'load it ("Failed to resolve asset job {2}"); add it to Definitions(assets=...)')


class UnknownSelectedKey(Message):
    code = "DG016"
    text = "{0} selects asset key '{1}', which no asset in this code location has: {2}{3}"


class UnknownSelectedGroup(Message):
    code = "DG016"
    text = ("{0} selects group '{1}', which no asset in this code location belongs to: Dagster silently builds a "
            'job that selects nothing{2}')


class UnknownSelectedPrefix(Message):
    code = "DG016"
    text = ("{0} selects key prefix '{1}', which no asset key in this code location starts with: Dagster silently "
            'builds a job that selects nothing')


class MissingResource(Message):
    code = "DG017"
    text = ('{0} requires {1} \'{2}\', which {3} does not provide: Dagster fails to load the code location ("{1} '
            'with key \'{2}\' required by op \'{4}\' ... was not provided"){5}')


class UnrequiredResource(Message):
    code = "DG017"
    text = ('{0} uses context.resources.{1} without requiring it: Dagster gives an op only the resources it '
            'requires, so every run fails with DagsterUnknownResourceError ("Unknown resource `{1}`"); add \'{1}\' '
            'to required_resource_keys')


class UnprovidedResource(Message):
    code = "DG017"
    text = ('{0} uses context.resources.{1}, which it does not require and {2} does not provide: Dagster loads it, '
            'but every run fails with DagsterUnknownResourceError ("Unknown resource `{1}`"){3}')


class LoaderDropsDefinition(Message):
    code = "DG018"
    text = "{0} at {1} skips {2}: Dagster silently leaves it out of code location '{3}'; {4}"


class LoaderGroupConflict(Message):
    code = "DG019"
    text = ("{0}(group_name='{1}') loads '{2}', whose own group_name is '{3}': Dagster fails at this call "
            '("{4}"); drop one of the two group names')


class InternalDepsGap(Message):
    code = "DG020"
    text = ("output '{0}' of multi-asset '{1}' is missing from internal_asset_deps: Dagster silently gives it no "
            'dependencies at all (not on {2}); list it, with set() if it truly depends on nothing')


class CrossLocationDuplicate(Message):
    code = "DG021"
    text = ("asset '{0}' is also {1} in code location '{2}' ({3}) of the same workspace: Dagster loads both "
            'locations and only warns that one {1} node is allowed per key; keep one definition and declare the key '
            'as an AssetSpec in the other')


class CrossLocationCycle(Message):
    code = "DG021"
    text = ("asset '{0}' is on a dependency cycle across code locations {1}: {2}; Dagster never checks across "
            'locations, loads both, and the assets can never run in dependency order')


# every message class, for the unpicklers' allow-lists (cache.py)
ALL = (
    AssetCycle, MissingUpstreamAsset, MissingCheckTarget, DuplicateAssetKey, SharedStorageWriter, OpPersistsObject,
    UndeclaredDataDependency, StringDeps, IgnoredAssetParameter, InvalidOpNameFromKey, InvalidDepInputName,
    SlashInSpecDep, DashInOutputName, InvalidMultiAssetName, InvalidSpecOutputName, CollidingDepInputs,
    DepShadowsParameter, MisnamedContextParameter, LateContextParameter, MisnamedConfigParameter, DuplicateOpName,
    AssetNotInDefinitions, MultipleDefinitions, RemappedDependency, UnknownTriggerJob, UnknownSensorAsset,
    SelectedDefinitionMissing, UnknownSelectedKey, UnknownSelectedGroup, UnknownSelectedPrefix, MissingResource,
    UnrequiredResource, UnprovidedResource, LoaderDropsDefinition, LoaderGroupConflict, InternalDepsGap,
    CrossLocationDuplicate, CrossLocationCycle,
)
