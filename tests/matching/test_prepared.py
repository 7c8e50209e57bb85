"""One prepared-array module: the fit components and the eligibility rules no longer import each other."""
import subprocess
import sys


def test_fit_components_load_without_the_eligibility_rules():
    code = "import sys, matching.components; print('matching.eligibility' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_old_import_paths_give_the_prepared_classes():
    from matching import components, eligibility, prepared

    assert components.PersonBlock is prepared.PersonBlock and eligibility.ItemArrays is prepared.ItemArrays
    assert eligibility.PHYSICAL_BITS is prepared.PHYSICAL_BITS
